package dev.promoter.archfixture.cycle.a;

public class A {
    dev.promoter.archfixture.cycle.b.B b;
}
