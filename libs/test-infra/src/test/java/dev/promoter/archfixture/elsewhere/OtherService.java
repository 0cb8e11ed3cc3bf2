package dev.promoter.archfixture.elsewhere;

public class OtherService {
}
