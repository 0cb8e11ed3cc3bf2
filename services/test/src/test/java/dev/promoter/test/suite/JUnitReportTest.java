package dev.promoter.test.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Surefire reports, read safely: which cases failed and why, and nothing a hostile report could smuggle in. */
class JUnitReportTest {

    static byte[] resource(String name) {
        try (InputStream in = JUnitReportTest.class.getClassLoader().getResourceAsStream("junit/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPassingSurefireReportPasses() {
        JUnitReport report = JUnitReport.parse(resource("TEST-passing.xml"));

        assertThat(report.tests()).isEqualTo(48);
        assertThat(report.failures()).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(report.reason()).isNull();
    }

    @Test
    void aFailingSurefireReportNamesEachFailedTestCaseAndWhy() {
        JUnitReport report = JUnitReport.parse(resource("TEST-failing.xml"));

        assertThat(report.tests()).isEqualTo(14);
        assertThat(report.passed()).isFalse();
        assertThat(report.reason()).isEqualTo("2 of 14 test cases failed: "
                + "dev.promoter.contracts.DigestTest.parsesANullDigest (error: digest must be 'sha256:' followed by 64"
                + " lowercase hex characters, got null); "
                + "dev.promoter.contracts.DigestTest.shortFormIsTwelveCharacters (failure: Expected size: 10 but was: 12"
                + " in: \"aaaaaaaaaaaa\")");
    }

    @Test
    void testsuitesWithSeveralSuitesAreCountedTogetherAndLongListsAreCut() {
        StringBuilder xml = new StringBuilder("<testsuites>");
        for (int suite = 0; suite < 2; suite++) {
            xml.append("<testsuite name='s").append(suite).append("'>");
            for (int i = 0; i < 4; i++) {
                xml.append("<testcase classname='c").append(suite).append("' name='t").append(i).append("'>")
                        .append("<failure message='boom ").append(i).append("'/></testcase>");
            }
            xml.append("<testcase classname='c' name='ok'/><testcase classname='c' name='later'><skipped/></testcase>");
            xml.append("</testsuite>");
        }
        JUnitReport report = JUnitReport.parse(xml.append("</testsuites>").toString().getBytes(StandardCharsets.UTF_8));

        assertThat(report.tests()).isEqualTo(12);
        assertThat(report.skipped()).isEqualTo(2);
        assertThat(report.reason()).startsWith("8 of 12 test cases failed: c0.t0 (failure: boom 0); c0.t1")
                .endsWith("; c1.t0 (failure: boom 0); and 3 more");
    }

    @Test
    void aReportWithoutTestCasesProvesNothing() {
        assertThat(JUnitReport.parse("<testsuite name='x' tests='0'/>".getBytes(StandardCharsets.UTF_8)).reason())
                .isEqualTo("the report holds no test case");
        assertThat(JUnitReport.parse("<testsuite><testcase name='a'><skipped/></testcase></testsuite>"
                .getBytes(StandardCharsets.UTF_8)).reason()).isEqualTo("all 1 test cases were skipped");
    }

    @Test
    void anExternalEntityIsNeverRead(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "root:x:0:0");
        String xml = "<?xml version='1.0'?><!DOCTYPE testsuite [<!ENTITY xxe SYSTEM '" + secret.toUri() + "'>]>"
                + "<testsuite><testcase name='a'><failure message='&xxe;'/></testcase></testsuite>";

        assertThatIllegalArgumentException().isThrownBy(() -> JUnitReport.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .withMessage("the report declares a DOCTYPE; JUnit XML needs none, and none is read (entities and"
                        + " external references are refused)")
                .withMessageNotContaining("root:x");
    }

    @Test
    void entityExpansionIsRefusedBeforeItExpands() {
        String xml = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
                + "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
                + "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>"
                + "<testsuite><testcase name='&lol3;'/></testsuite>";

        assertThatIllegalArgumentException().isThrownBy(() -> JUnitReport.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .withMessageStartingWith("the report declares a DOCTYPE");
    }

    @Test
    void somethingElseThanJUnitXmlIsNamed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JUnitReport.parse("<html><body/></html>".getBytes(StandardCharsets.UTF_8)))
                .withMessage("the report's root element is <html>; JUnit XML has <testsuite> or <testsuites>");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JUnitReport.parse("<testsuite>".getBytes(StandardCharsets.UTF_8)))
                .withMessageStartingWith("the report is not well-formed XML: ");
    }
}
