package dev.kindling.imports;

/** Where an import's source and its batches are kept while it runs on AWS: the stack's imports bucket. */
public interface ImportObjects {
    void put(String key, byte[] body);

    byte[] get(String key);

    /** Done whether or not the object was there. */
    void delete(String key);
}
