package dev.promoter.test.suite;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A JUnit XML report as Maven Surefire, Gradle and Jenkins write it ({@code <testsuite>} or {@code <testsuites>}):
 * how many test cases ran and which failed, with their messages. Read without DTDs or entities, so a hostile report
 * can neither reach files or hosts (XXE) nor expand itself (billion laughs).
 *
 * @param tests    test cases in the report
 * @param skipped  test cases skipped
 * @param failures every test case that failed or errored, in document order
 */
public record JUnitReport(int tests, int skipped, List<FailedCase> failures) {

    /** How many failed cases a reason names before it says "and N more". */
    static final int NAMED_FAILURES = 5;
    private static final int MAX_MESSAGE = 160;

    public JUnitReport {
        failures = List.copyOf(failures);
    }

    /** One test case that did not pass: {@code failure} (an assertion) or {@code error} (an unexpected exception). */
    public record FailedCase(String name, String kind, String message) {

        String describe() {
            return name + " (" + kind + (message == null ? "" : ": " + message) + ")";
        }
    }

    /**
     * Parses the report.
     *
     * @throws IllegalArgumentException naming what is wrong with the XML: not well formed, a DTD, not JUnit
     */
    public static JUnitReport parse(byte[] xml) {
        Document document;
        try {
            document = builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            String message = e.getMessage() == null ? "not well formed" : e.getMessage();
            if (message.contains("DOCTYPE")) {
                throw new IllegalArgumentException("the report declares a DOCTYPE; JUnit XML needs none, and none is"
                        + " read (entities and external references are refused)");
            }
            throw new IllegalArgumentException("the report is not well-formed XML: " + cut(message));
        } catch (IOException e) {
            throw new IllegalArgumentException("the report could not be read: " + cut(e.getMessage()));
        }
        Element root = document.getDocumentElement();
        if (!root.getTagName().equals("testsuite") && !root.getTagName().equals("testsuites")) {
            throw new IllegalArgumentException("the report's root element is <" + root.getTagName()
                    + ">; JUnit XML has <testsuite> or <testsuites>");
        }
        NodeList cases = root.getElementsByTagName("testcase");
        int skipped = 0;
        List<FailedCase> failures = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            String name = caseName(testCase);
            Element failure = firstChild(testCase, "failure");
            Element error = firstChild(testCase, "error");
            if (failure != null) {
                failures.add(new FailedCase(name, "failure", messageOf(failure)));
            } else if (error != null) {
                failures.add(new FailedCase(name, "error", messageOf(error)));
            } else if (firstChild(testCase, "skipped") != null) {
                skipped++;
            }
        }
        return new JUnitReport(cases.getLength(), skipped, failures);
    }

    /** Every case passed (or was skipped), and at least one ran: an empty report proves nothing. */
    public boolean passed() {
        return failures.isEmpty() && tests > skipped;
    }

    /** Why the report does not pass, naming the failed test cases; null when it passes. */
    public String reason() {
        if (passed()) {
            return null;
        }
        if (failures.isEmpty()) {
            return tests == 0 ? "the report holds no test case" : "all " + tests + " test cases were skipped";
        }
        StringBuilder reason = new StringBuilder()
                .append(failures.size()).append(" of ").append(tests).append(" test cases failed: ");
        for (int i = 0; i < Math.min(NAMED_FAILURES, failures.size()); i++) {
            reason.append(i == 0 ? "" : "; ").append(failures.get(i).describe());
        }
        if (failures.size() > NAMED_FAILURES) {
            reason.append("; and ").append(failures.size() - NAMED_FAILURES).append(" more");
        }
        return reason.toString();
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // OWASP XXE prevention: no DOCTYPE at all, hence no entities, internal or external.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be made safe", e);
        }
    }

    private static String caseName(Element testCase) {
        String className = testCase.getAttribute("classname");
        String name = testCase.getAttribute("name");
        return className.isEmpty() ? name : className + "." + name;
    }

    private static Element firstChild(Element parent, String tag) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(tag)) {
                return element;
            }
        }
        return null;
    }

    private static String messageOf(Element element) {
        String message = element.getAttribute("message");
        if (message.isBlank()) {
            message = element.getAttribute("type");
        }
        if (message.isBlank()) {
            String text = element.getTextContent();
            message = text == null ? "" : text.strip().lines().findFirst().orElse("");
        }
        return message.isBlank() ? null : cut(message.strip().replaceAll("\\s+", " "));
    }

    private static String cut(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
