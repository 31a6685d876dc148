package dev.kindling.email;

/** A template that cannot be rendered, naming the template, its part and the line (a variable's name is in the message). */
public final class TemplateError extends RuntimeException {
    private final String templateId;
    private final String part;
    private final int line;

    public TemplateError(String templateId, String part, int line, String message) {
        super("template '" + templateId + "'" + (part != null ? ", " + part : "") + (line > 0 ? " line " + line : "") + ": " + message,
                null, false, false);
        this.templateId = templateId;
        this.part = part;
        this.line = line;
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
}
