package dev.promoter.build.builder;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class JenkinsClientTest {

    @Test
    void aJobInFoldersIsAddressedJobByJob() {
        assertThat(JenkinsClient.jobUrl(URI.create("https://ci.example.com/jenkins"), "shop/cart main", "buildWithParameters"))
                .isEqualTo(URI.create("https://ci.example.com/jenkins/job/shop/job/cart%20main/buildWithParameters"));
        assertThat(JenkinsClient.jobUrl(URI.create("http://127.0.0.1:8080/"), "cart", "buildWithParameters"))
                .isEqualTo(URI.create("http://127.0.0.1:8080/job/cart/buildWithParameters"));
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(new JenkinsClient.Credentials("ci", "token-123", null).toString()).doesNotContain("token-123");
    }
}
