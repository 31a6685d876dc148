package dev.kindling.email;

/** A template that cannot be rendered, naming the template, its part, the line and (when known) the variable. */
public final class TemplateError extends RuntimeException {
    private final String templateId;
    private final String part;
    private final int line;
    private final String variable;

    public TemplateError(String templateId, String part, int line, String variable, String message) {
        super("template '" + templateId + "'" + (part != null ? ", " + part : "") + (line > 0 ? " line " + line : "")
                + (variable != null ? ", variable '" + variable + "'" : "") + ": " + message, null, false, false);
        this.templateId = templateId;
        this.part = part;
        this.line = line;
        this.variable = variable;
    }

    public String templateId() {
        return templateId;
    }

    public String part() {
        return part;
    }

    public int line() {
        return line;
    }

    public String variable() {
        return variable;
    }
}
