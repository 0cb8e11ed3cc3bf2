package dev.promoter.archfixture.cycle.b;

public class B {
    dev.promoter.archfixture.cycle.a.A a;
}
