package dev.kindling.imports;

import dev.kindling.shop.Shop;

/**
 * Runs an import once it is recorded: on AWS a Step Functions Distributed Map over the source put in S3, locally the
 * same batches in process, several at once. Returns as soon as the import is under way.
 */
public interface ImportRunner {
    /**
     * @param file      the file's bytes, when the request carried it
     * @param uploadKey where the file was uploaded ({@link ImportSteps#uploadKey}), when it was; both null for a pull
     */
    void start(Shop shop, ImportStatus status, byte[] file, String uploadKey);
}
