package dev.promoter.archfixture.calls.x;

public class Caller {
    dev.promoter.archfixture.elsewhere.OtherService other;
}
