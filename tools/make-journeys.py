#!/usr/bin/env python3
"""Writes statemachines/<journey>.asl.json: the journeys as Amazon States Language (JSONPath).

Every journey starts with `Enter` (the journey function reads the shop's settings for it: on/off,
delays, templates for the contact's variant, data such as discount codes, holdout, re-entry) and
re-checks its exit criteria (ordered, unsubscribed, suppressed) before every send. A send that
comes back `deferred` (frequency cap, quiet hours, send rate) waits until the time it names and
checks again. ${JourneyFunctionArn} and ${SendFunctionArn} are the template's
DefinitionSubstitutions."""
import json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "statemachines"
JOURNEY = "${JourneyFunctionArn}"
SEND = "${SendFunctionArn}"
RETRY = [{"ErrorEquals": ["States.TaskFailed", "Lambda.ServiceException", "Lambda.TooManyRequestsException"],
          "IntervalSeconds": 30, "MaxAttempts": 3, "BackoffRate": 2.0}]


def action(name, journey, nxt, result_path, **params):
    p = {"action": name, "shopId.$": "$.shopId", "contactId.$": "$.contactId", "journey": journey}
    p.update(params)
    state = {"Type": "Task", "Resource": JOURNEY, "Parameters": p, "ResultPath": result_path, "Retry": RETRY}
    if nxt is None:
        state["End"] = True
    else:
        state["Next"] = nxt
    return state


class Journey:
    def __init__(self, jid, comment):
        self.id = jid
        self.states = {}
        self.comment = comment
        self.states["Enter"] = action("enter", jid, "Run?", "$.journey",
                                      **{"execution.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime"})
        self.states["Run?"] = {"Type": "Choice", "Choices": [{"Variable": "$.journey.run", "BooleanEquals": False, "Next": "Not run"}],
                               "Default": None}
        self.states["Not run"] = {"Type": "Succeed"}
        self.last = "Run?"

    def link(self, name):
        """Points the previous state at `name`."""
        prev = self.states[self.last]
        if prev["Type"] == "Choice":
            prev["Default"] = name
        else:
            prev.pop("End", None)
            prev["Next"] = name

    def add(self, name, state):
        self.link(name)
        self.states[name] = state
        self.last = name

    def wait(self, step, delay):
        self.add(f"Wait {step}", {"Type": "Wait", "SecondsPath": f"$.journey.delays.{delay}", "Next": None})

    def check(self, step, marketing=True):
        name = f"Check {step}"
        self.add(name, action("check", self.id, f"Exit {step}?", "$.check",
                              **{"since.$": "$$.Execution.StartTime", "marketing": marketing}))
        self.states[f"Exit {step}?"] = {"Type": "Choice",
                                        "Choices": [{"Variable": "$.check.exit", "BooleanEquals": True, "Next": "Exited"}],
                                        "Default": None}
        self.last = f"Exit {step}?"
        self.states.setdefault("Exited", action("exit", self.id, None, "$.exited", **{"reason.$": "$.check.reason"}))
        return name

    def send(self, step, kind="marketing", data=None, check=True):
        """A send, with its exit check before it and a wait-and-retry when it is deferred."""
        back = self.check(step, marketing=(kind == "marketing")) if check else None
        context = {"event.$": "$.trigger", "data.$": data or "$.journey.data"}
        params = {"shopId.$": "$.shopId", "contactId.$": "$.contactId", "template.$": f"$.journey.templates.{step}", "kind": kind,
                  "idempotencyKey.$": f"States.Format('{{}}:{step}', $$.Execution.Name)", "context": context,
                  "tags": {"journey": self.id, "step": step, "variant.$": "$.journey.variant"}}
        self.add(f"Send {step}", {"Type": "Task", "Resource": SEND, "Parameters": params, "ResultPath": "$.sent", "Retry": RETRY})
        self.add(f"Deferred {step}?", {"Type": "Choice",
                                       "Choices": [{"Variable": "$.sent.status", "StringEquals": "deferred", "Next": f"Wait out {step}"}],
                                       "Default": None})
        self.states[f"Wait out {step}"] = {"Type": "Wait", "TimestampPath": "$.sent.until", "Next": back or f"Send {step}"}

    def finish(self):
        self.add("Completed", action("complete", self.id, None, "$.completed"))

    def write(self):
        for state in self.states.values():
            if state.get("Type") == "Wait" and state.get("Next") is None:
                raise SystemExit(f"{self.id}: a wait leads nowhere")
        definition = {"Comment": self.comment, "StartAt": "Enter", "States": self.states}
        (root / f"{self.id}.asl.json").write_text(json.dumps(definition, indent=2) + "\n")


def fix_waits(j):
    """Waits were added with Next None: point each at the state added after it."""
    names = list(j.states)
    for i, name in enumerate(names):
        s = j.states[name]
        if s["Type"] == "Wait" and s.get("Next") is None:
            s["Next"] = names[i + 1]


# --- Abandoned checkout: 1 h, reminder with the cart; 23 h, reminder with recommendations; 48 h, last call with a discount.
j = Journey("abandoned-checkout", "Abandoned checkout: a reminder with the cart after 1 h, recommendations after a day, a discount after three; ends at an order.")
j.wait("first", "first"); j.send("first")
j.wait("second", "second"); j.send("second")
j.wait("third", "third"); j.send("third")
j.finish(); j.write()

# --- Browse abandonment: 4 h with no cart or order, then one email with the viewed products and similar ones.
j = Journey("browse-abandonment", "Browse abandonment: one email with the viewed and similar products when no cart or order followed within 4 h; at most once per 7 days.")
j.wait("first", "first"); j.send("first")
j.finish(); j.write()

# --- Win-back: segment entry (no order for N days) -> we miss you -> 7 days -> incentive; ends at an order.
j = Journey("win-back", "Win-back: 'we miss you' on entering the win-back segment, an incentive 7 days later; ends at an order.")
j.send("first")
j.wait("second", "second"); j.send("second")
j.finish(); j.write()

# --- Welcome: double opt-in confirmation when required -> welcome -> 2 days -> best sellers (+ first-order incentive) -> 3 days -> social proof; ends at the first order.
j = Journey("welcome", "Welcome: confirms the subscription when needed, then the brand story, best sellers with a first-order incentive, and social proof; ends at the first order.")
j.add("Consent", action("consent", "welcome", "Confirmed?", "$.consent"))
j.states["Confirmed?"] = {"Type": "Choice", "Choices": [
    {"Variable": "$.consent.state", "StringEquals": "granted", "Next": "Check first"},
    {"Variable": "$.consent.confirmationSent", "BooleanEquals": True, "Next": "Wait confirm"}], "Default": "Send confirm"}
j.last = "Confirmed?"
params = {"shopId.$": "$.shopId", "contactId.$": "$.contactId", "template.$": "$.journey.templates.confirm", "kind": "transactional",
          "idempotencyKey.$": "States.Format('{}:confirm', $$.Execution.Name)",
          "context": {"links": {"confirm.$": "$.consent.confirmUrl"}},
          "tags": {"journey": "welcome", "step": "confirm", "variant.$": "$.journey.variant"}}
j.states["Send confirm"] = {"Type": "Task", "Resource": SEND, "Parameters": params, "ResultPath": "$.sent", "Retry": RETRY, "Next": "Wait confirm"}
j.states["Wait confirm"] = {"Type": "Wait", "SecondsPath": "$.journey.delays.confirm", "Next": "Consent again"}
j.states["Consent again"] = action("consent", "welcome", "Confirmed now?", "$.consent", **{"sent": True})
j.states["Consent again"]["Parameters"]["confirmationSent"] = True
del j.states["Consent again"]["Parameters"]["sent"]
j.states["Confirmed now?"] = {"Type": "Choice", "Choices": [{"Variable": "$.consent.state", "StringEquals": "granted", "Next": "Check first"}],
                             "Default": "Not confirmed"}
j.states["Not confirmed"] = action("exit", "welcome", None, "$.exited", reason="not_confirmed")
j.last = "Confirmed?"
j.send("first")
j.states["Confirmed?"]["Default"] = "Send confirm"
j.wait("second", "second"); j.send("second")
j.wait("third", "third"); j.send("third")
j.finish(); j.write()

# --- Post-purchase loyalty loop: thank-you -> after fulfilment + N days: enjoy + cross-sell -> review -> NPS -> promoter / passive / detractor.
j = Journey("post-purchase", "Post-purchase loyalty loop: thank-you, then after fulfilment how to enjoy it and what goes with it, a review request, an NPS survey, and a reward, tips or an apology by the answer. The next order starts a new loop; this one ends at its next check.")
j.send("thanks", kind="transactional", check=False)
j.add("Fulfilled?", action("fulfilled", "post-purchase", "Fulfilment known?", "$.fulfilment",
                             **{"since.$": "$$.Execution.StartTime", "orderId.$": "$.trigger.order_id"}))
j.states["Fulfilment known?"] = {"Type": "Choice", "Choices": [
    {"Variable": "$.fulfilment.fulfilled", "BooleanEquals": True, "Next": "Wait enjoy"},
    {"Variable": "$.fulfilment.giveUp", "BooleanEquals": True, "Next": "Not fulfilled"}], "Default": "Wait fulfilment"}
j.states["Wait fulfilment"] = {"Type": "Wait", "SecondsPath": "$.journey.delays.fulfilmentCheck", "Next": "Fulfilled?"}
j.states["Not fulfilled"] = action("exit", "post-purchase", None, "$.exited", reason="not_fulfilled")
j.last = "Fulfilment known?"
j.states["Wait enjoy"] = {"Type": "Wait", "SecondsPath": "$.journey.delays.enjoy", "Next": None}
j.last = "Wait enjoy"
j.send("enjoy")
j.wait("review", "review")
j.add("Review link", action("review-link", "post-purchase", None, "$.review", **{"execution.$": "$$.Execution.Name"}))
j.send("review", kind="transactional", data="$.review")
j.wait("nps", "nps")
j.check("nps", marketing=False)
j.add("Survey links", action("nps-links", "post-purchase", None, "$.survey", **{"execution.$": "$$.Execution.Name"}))
params = {"shopId.$": "$.shopId", "contactId.$": "$.contactId", "template.$": "$.journey.templates.nps", "kind": "transactional",
          "idempotencyKey.$": "States.Format('{}:nps', $$.Execution.Name)",
          "context": {"event.$": "$.trigger", "data": {"nps_links.$": "$.survey.links"}},
          "tags": {"journey": "post-purchase", "step": "nps", "variant.$": "$.journey.variant"}}
j.add("Send nps", {"Type": "Task", "Resource": SEND, "Parameters": params, "ResultPath": "$.sent", "Retry": RETRY})
j.add("Wait answer", {"Type": "Wait", "SecondsPath": "$.journey.delays.answer", "Next": None})
j.add("Answer", action("nps-answer", "post-purchase", None, "$.answer", **{"since.$": "$$.Execution.StartTime"}))
j.add("By answer", {"Type": "Choice", "Choices": [
    {"Variable": "$.answer.group", "StringEquals": "promoter", "Next": "Check promoter"},
    {"Variable": "$.answer.group", "StringEquals": "passive", "Next": "Check passive"},
    {"Variable": "$.answer.group", "StringEquals": "detractor", "Next": "Send detractor"}], "Default": "Completed"})
j.last = "By answer"
# promoter: referral ask and a loyalty reward
first = len(j.states)
j.send("promoter")
j.link("Completed")
j.last = "By answer"
j.send("passive")
j.link("Completed")
j.last = "By answer"
j.send("detractor", kind="transactional", check=False)
j.add("Support follow-up", action("support", "post-purchase", None, "$.support", **{"score.$": "$.answer.score"}))
j.link("Completed")
j.states["Completed"] = action("complete", "post-purchase", None, "$.completed")
j.states["By answer"]["Default"] = "Completed"
j.states["By answer"]["Choices"][0]["Next"] = "Check promoter"
j.states["By answer"]["Choices"][1]["Next"] = "Check passive"
j.states["By answer"]["Choices"][2]["Next"] = "Send detractor"
fix_waits(j)
j.write()
