package dev.kindling.email;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * A shop's templates and email settings (JSON documents), versioned together like the audience
 * settings: a change names the version it was checked against, so a layout cannot be deleted
 * while another admin saves a template that uses it.
 */
public interface EmailStore {

    record Documents(long version, Optional<JsonNode> settings, Map<String, JsonNode> templates) {}

    long version(String shopId);

    Documents documents(String shopId);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putTemplate(String shopId, String templateId, JsonNode template, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean deleteTemplate(String shopId, String templateId, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putSettings(String shopId, JsonNode settings, long expectedVersion);
}
