package dev.promoter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.demo.PipelineApi;
import dev.promoter.demo.SampleApp;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (Debian's headless Chromium driven through its chromedriver) against the whole
 * pipeline: a build moving through the stages on the value stream without a reload, an approval given by a click
 * moving prod, a rollback appearing without a reload, and a viewer who sees no buttons. Screenshots go to
 * {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardStoryIT {

    static final String APP = "web-shop";
    static final String REPOSITORY = "e2e/web-shop";
    static final Duration MOVES = Duration.ofSeconds(60);
    /** A change shows on an open page within this long of promote recording it. */
    static final Duration LIVE = Duration.ofSeconds(2);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static LocalPipeline pipeline;
    static PipelineApi api;
    static RegistryClient registry;
    static SampleApp sample;
    static ChromeDriver browser;
    static String ui;
    static String v1;
    static String v2;

    @BeforeAll
    static void start() throws IOException {
        // A live update replaces a fragment while a poll reads it: that poll looks again instead of failing.
        Awaitility.ignoreExceptionByDefault(StaleElementReferenceException.class);
        pipeline = LocalPipeline.start();
        api = pipeline.api();
        registry = pipeline.registry();
        sample = SampleApp.start(pipeline.registryAddress(), REPOSITORY, 0);
        ui = api.endpoints().promote().toString().replaceAll("/+$", "") + "/ui";
        Files.createDirectories(SCREENSHOTS);
        browser = chromium();
    }

    @AfterAll
    static void stop() {
        Awaitility.reset();
        if (browser != null) {
            browser.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (sample != null) {
            sample.close();
        }
    }

    @Test
    @Order(1)
    void theValueStreamShowsABuildMovingThroughTheStagesWithoutAReload() {
        api.definePipeline(APP, definition());
        browser.get(ui + "/sign-in");
        browser.findElement(By.id("token")).sendKeys(pipeline.promoteToken());
        browser.findElement(By.cssSelector("form.signin button")).click();
        await().atMost(MOVES).until(() -> browser.findElement(By.cssSelector(".who")).getText(), t -> t.contains("e2e"));
        assertThat(browser.manage().getCookieNamed("promoter_session").isHttpOnly()).isTrue();
        assertThat(browser.findElements(By.cssSelector("section.app[data-application='" + APP + "']"))).hasSize(1);
        markPage();

        v1 = image("1").push(REPOSITORY, "build-1");
        api.reportBuild(APP, pipeline.registryAddress() + "/" + REPOSITORY, v1, commit(1), "dev-person");

        for (String stage : List.of("dev", "test")) {
            Instant recorded = awaitRecorded(stage, v1);
            await(v1 + " in " + stage + " on the open page").atMost(LIVE.plus(Duration.between(recorded, Instant.now())))
                    .pollInterval(Duration.ofMillis(50)).until(() -> cellDigest(stage), v1::equals);
        }
        await("prod's waiting digest on the open page").atMost(MOVES).until(() -> text(
                "section.app[data-application='" + APP + "'] li.waiting[data-stage='prod']"),
                t -> t.contains("waiting for 1 more approval"));
        assertThat(text("section.app[data-application='" + APP + "'] li.cell[data-stage='dev']"))
                .contains(v1.substring(7, 19)).contains("commit " + commit(1).substring(0, 12)).contains("since");
        assertThat(pageWasNotReloaded()).as("the page followed the moves without a reload").isTrue();
        screenshot("1-value-stream-waiting-for-approval");
    }

    @Test
    @Order(2)
    void anApprovalGivenByAClickMovesProd() {
        browser.get(ui + "/applications/" + APP);
        WebElement pending = browser.findElement(By.cssSelector("section.stage[data-stage='prod'] .pending[data-digest='"
                + v1 + "']"));
        assertThat(pending.getText()).contains("approvals waiting: waiting for 1 more approval");
        pending.findElement(By.cssSelector("input[name=comment]")).sendKeys("looks good");
        screenshot("2-application-before-approval");
        pending.findElement(By.cssSelector("button.approve")).click();

        await("prod at v1 in the registry").atMost(MOVES).until(() -> tag("prod"), Optional.of(v1)::equals);
        await("prod at v1 on the page").atMost(MOVES).until(() -> stageCell("prod"), t -> t.contains(v1.substring(7, 19)));
        assertThat(text(".notice")).startsWith("approved: ");
        assertThat(text("section.audit")).contains("approve").contains("looks good").contains("dashboard");
    }

    @Test
    @Order(3)
    void aRollbackAppearsWithoutAReload() {
        await("v1 healthy in prod").atMost(MOVES).until(() -> PipelineApi.healthyIn(api.rollbackHistory(APP, "prod"), v1));
        browser.get(ui + "/applications/" + APP);
        markPage();
        v2 = image("2").label(SampleApp.FAILS_IN_LABEL, "prod").push(REPOSITORY, "build-2");
        api.reportBuild(APP, pipeline.registryAddress() + "/" + REPOSITORY, v2, commit(2), "dev-person");
        await("v2 waits for prod").atMost(MOVES).until(() -> PipelineApi.blockedBecause(api.application(APP), "prod", v2)
                != null);
        api.decide(APP, "prod", v2, true, "ship it");

        await("prod back on v1 in promote's view").atMost(MOVES).pollInterval(Duration.ofMillis(50))
                .until(() -> v1.equals(PipelineApi.stage(api.application(APP), "prod").path("current").asText())
                        && !PipelineApi.stage(api.application(APP), "prod").path("history").get(0).path("rollbackOf")
                        .isMissingNode());
        Instant recorded = Instant.now();
        await("the rollback on the open page").atMost(LIVE).pollInterval(Duration.ofMillis(50))
                .until(() -> stageCell("prod"), t -> t.contains("rolled back from " + v2.substring(7, 19)));
        Duration shown = Duration.between(recorded, Instant.now());
        assertThat(pageWasNotReloaded()).isTrue();
        assertThat(text("section.stage[data-stage='prod'] .timeline")).contains("rollback of " + v2.substring(7, 19));
        await("v2 quarantined on the page").atMost(MOVES)
                .until(() -> text("section.stage[data-stage='prod'] .quarantined"), t -> t.contains(v2.substring(7, 19)));
        System.out.printf("rollback shown on the open page %d ms after promote recorded it%n", shown.toMillis());
        screenshot("3-application-after-rollback");

        browser.get(ui);
        browser.manage().window().setSize(new Dimension(1280, 560));
        screenshot("4-value-stream-after-rollback");
        assertThat(text("section.app[data-application='" + APP + "'] li.cell[data-stage='prod']"))
                .contains("rolled back from");
    }

    @Test
    @Order(4)
    void aViewerSeesNoButtons() {
        browser.manage().deleteAllCookies();
        browser.get(ui + "/sign-in");
        browser.findElement(By.id("token")).sendKeys(pipeline.viewerToken());
        browser.findElement(By.cssSelector("form.signin button")).click();
        await().atMost(MOVES).until(() -> text(".who"), t -> t.contains("viewer (viewer)"));
        browser.get(ui + "/applications/" + APP);
        assertThat(browser.findElements(By.cssSelector("main button"))).as("no action for a viewer").isEmpty();
        assertThat(browser.findElements(By.cssSelector("main form"))).isEmpty();
        assertThat(text("section.stage[data-stage='prod']")).contains("rolled back from");
        browser.manage().window().setSize(new Dimension(420, 900));
        screenshot("5-viewer-narrow-window");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    static ChromeDriver chromium() throws IOException {
        // The driver's path is given, so Selenium Manager has nothing to find and downloads nothing.
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        Path profile = Files.createTempDirectory("chromium-profile");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        return new ChromeDriver(service, options);
    }

    static String definition() {
        return """
                application: %s
                repository: %s/%s
                people:
                  release: { api: [%s] }
                stages:
                  - name: dev
                  - name: test
                  - name: prod
                    health:
                      url: %s
                      interval: 500ms
                      timeout: 300ms
                      failureThreshold: 3
                      successThreshold: 2
                      gracePeriod: 1s
                    gates:
                      approvals: { count: 1 }
                """.formatted(APP, pipeline.registryAddress(), REPOSITORY, LocalPipeline.CALLER, sample.healthUrl("prod"));
    }

    /** Waits until promote's read view shows the digest in the stage; returns when it did. */
    static Instant awaitRecorded(String stage, String digest) {
        await(digest + " recorded in " + stage + " (log: " + pipeline.log("promote") + ")").atMost(MOVES)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> digest.equals(PipelineApi.stage(api.application(APP), stage).path("current").asText()));
        return Instant.now();
    }

    static String cellDigest(String stage) {
        List<WebElement> cells = browser.findElements(By.cssSelector("section.app[data-application='" + APP
                + "'] li.cell[data-stage='" + stage + "']"));
        return cells.isEmpty() ? "" : cells.get(0).getAttribute("data-digest");
    }

    static String stageCell(String stage) {
        return text("section.stage[data-stage='" + stage + "'] .cell");
    }

    static String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** Leaves a mark in the page's window: a reload would wipe it. */
    static void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.__notReloaded = true;");
    }

    static boolean pageWasNotReloaded() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("return window.__notReloaded === true;"));
    }

    static void screenshot(String name) {
        try {
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageBuilder image(String version) {
        return new ImageBuilder(registry).file("/app/version.txt", APP + " " + version + "\n")
                .label("org.opencontainers.image.revision", commit(Integer.parseInt(version)))
                .label("org.opencontainers.image.version", "1." + version + ".0")
                .user("1000");
    }

    static String commit(int n) {
        return String.format("%040x", n);
    }

    static Optional<String> tag(String stage) {
        return registry.head(REPOSITORY, stage).map(ManifestRef::digest);
    }
}
