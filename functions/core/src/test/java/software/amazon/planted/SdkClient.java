package software.amazon.planted;

/**
 * Stands for an AWS SDK class in {@code dev.kindling.architecture.ArchitectureTest}: the core's classpath has no SDK,
 * so the rule that keeps the core free of it is shown to catch a class in the SDK's package space instead.
 */
public final class SdkClient {
}
