package dev.kindling.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A slow suite: tagged {@code slow}, so {@code -Dgroups=slow} runs just these and {@link TestSize} shrinks them in
 * {@code bin/test --fast}. Put {@code @Order} on it, the longest first: the classes run two at a time
 * (src/test/resources/junit-platform.properties), and the slow suites are taken first by the second lane.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
@interface SlowSuite {}
