package dev.promoter.archfixture.domain.x;

/** A domain class that reaches for Quarkus: the rule must name it. */
public class Decision {
    io.quarkus.runtime.StartupEvent startup;
}
