package org.dmiplatform.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console in a real headless Chromium, against the distribution started in demo mode. */
public class ConsoleBrowserIT {
    private static Launcher launcher;
    private static Map<String, String> passwords;
    private static WebDriver browser;
    private static String console;

    @BeforeClass
    public static void startPlatformAndBrowser() throws Exception {
        launcher = new Launcher("browser");
        launcher.env.put("DMI_DEMO", "true");
        // every browser log-in comes from 127.0.0.1: allow more than the default per-address rate, as an operator would
        java.nio.file.Files.createDirectories(launcher.data.resolve("etc"));
        java.nio.file.Files.writeString(
                launcher.data.resolve("etc/org.dmiplatform.web.cfg"), "loginAttemptsPerMinute = 200\n");
        launcher.start();
        launcher.http().awaitUp(Duration.ofSeconds(60));
        passwords = demoPasswords();
        console = "http://127.0.0.1:" + launcher.httpPort + "/";
        awaitConsole();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("dmi.chromium", "/usr/bin/chromium"));
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(
                        new java.io.File(System.getProperty("dmi.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                // a browser far from the site: what is typed and read is the site's time, not the browser's
                .withEnvironment(java.util.Map.of("TZ", "Pacific/Honolulu"))
                .build();
        browser = new ChromeDriver(service, options);
    }

    /** The console itself answers (its servlet is registered apart from the API's). */
    private static void awaitConsole() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        int status = 0;
        for (int i = 0; i < 120 && status != 200; i++) {
            status = client.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(console))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 200) {
                sleep(250);
            }
        }
        assertEquals("the console at " + console + " answers", 200, status);
    }

    /** Each test starts logged out. */
    @org.junit.Before
    public void loggedOut() {
        browser.get(console);
        browser.manage().deleteAllCookies();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (launcher != null) {
            launcher.close();
        }
    }

    /** The demo accounts file: owner-only, one account per role and site, passwords generated. */
    private static Map<String, String> demoPasswords() throws IOException {
        java.nio.file.Path file = launcher.data.resolve("demo-users.txt");
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            sleep(100);
        }
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        return Files.readAllLines(file).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.trim().split("\\s+"))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(Function<WebDriver, T> condition) {
        // generous: the first page after the demo starts meets a cold JVM on a busy two-core machine
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(condition);
    }

    private static void logIn(String user) {
        browser.get(console);
        await(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(passwords.get(user));
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=who]")));
    }

    private static void logOut() {
        browser.findElement(By.xpath("//button[text()='Log out']")).click();
        await(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    }

    private static List<String> siteRows() {
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-test=sites] tbody tr")));
        return browser.findElements(By.cssSelector("table[data-test=sites] tbody tr")).stream()
                .map(r -> r.getAttribute("data-site"))
                .toList();
    }

    @Test
    public void sitePoliceSeeTheirOwnSiteOnlyAndItsPage() {
        logIn("chicago-police");
        assertEquals(List.of("chicago"), siteRows());

        browser.findElement(By.cssSelector("a[data-test=site-link]")).click();
        WebElement name = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=site-name]")));
        assertEquals("Chicago (demo)", name.getText());
        String plugins =
                browser.findElement(By.cssSelector("table[data-test=plugins]")).getText();
        assertTrue(plugins, plugins.contains("Records adapter csv (org.dmiplatform.adapter.csv"));
        String team =
                browser.findElement(By.cssSelector("table[data-test=team]")).getText();
        assertTrue(team, team.contains("chicago-prosecutor"));
        assertFalse("no other site's people", team.contains("denver-"));

        // the demo site shows a living site: an intervention under way and its public records
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a[data-test=intervention-link]")));
        assertTrue(browser.findElements(By.cssSelector("a[data-test=intervention-link]")).stream()
                .anyMatch(a -> a.getText().equals("Demo market (demo)")));
        browser.get(console + "#/sites/chicago/records");
        WebElement records =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-test=records]")));
        assertEquals(25, records.findElements(By.cssSelector("tbody tr")).size());
        // the excerpt's 300 incidents, and the past market's made-up ones (their number depends on today's date)
        String count =
                browser.findElement(By.cssSelector("[data-test=records-count]")).getText();
        assertTrue(count, count.matches("\\d+ incident\\(s\\).*") && Integer.parseInt(count.split(" ")[0]) > 300);

        browser.get(console + "#/sites/denver");
        WebElement notice = await(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
        assertTrue(notice.getText(), notice.getText().contains("no site 'denver'"));
        assertFalse(browser.getPageSource().contains("Denver (demo)"));
        logOut();
    }

    @Test
    public void policeImportAnExportWithProgressAndReadItsQuarantine() throws IOException {
        java.nio.file.Path export = Files.createTempFile("chicago-export", ".csv");
        String rows = Files.readString(java.nio.file.Paths.get(
                "../../bundles/org.dmiplatform.adapter.csv/src/test/resources/exports/chicago-clear-2016-01-03.csv"));
        // one row more, with a date in the wrong format
        String bad = "99999999,HZ999,2016-01-03 23:57,016XX W 77TH ST,0486,BATTERY,DOMESTIC BATTERY SIMPLE,RESIDENCE,"
                + "false,true,0611,006,17,71,08B,1166811,1853653,2016,01/10/2016 08:46:55 AM,41.75,-87.66,\"(41.75, -87.66)\"\n";
        Files.writeString(export, rows + bad);
        logIn("chicago-police");
        browser.get(console + "#/sites/chicago/records");
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[data-test=import-form]")));
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=latest-records]")));
        long importsBefore = browser.findElements(By.cssSelector("table[data-test=imports] tbody tr")).stream()
                .mapToLong(r -> Long.parseLong(r.getAttribute("data-import")))
                .max()
                .orElse(0);
        browser.findElement(By.id("import-file"))
                .sendKeys(export.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("form[data-test=import-form] button[type=submit]"))
                .click();
        // the newest import, first in the history, once it has published (the page refreshes while it runs)
        By newest = By.cssSelector("table[data-test=imports] tbody tr:first-child");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> Long.parseLong(d.findElement(newest).getAttribute("data-import")) > importsBefore
                        && "PUBLISHED".equals(d.findElement(newest).getAttribute("data-status")));
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=latest-records]")));
        WebElement done = browser.findElement(newest);
        // demo mode imported the same excerpt at start: its rows are there already, and now unchanged
        assertEquals(
                300,
                Integer.parseInt(done.findElement(By.cssSelector("[data-test=inserted]"))
                                .getText())
                        + Integer.parseInt(done.findElement(By.cssSelector("[data-test=unchanged]"))
                                .getText()));
        done.findElement(By.cssSelector("a[data-test=quarantined]")).click();
        WebElement quarantine =
                await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table[data-test=quarantine]")));
        assertTrue(
                quarantine.getText(),
                quarantine.getText().contains("'2016-01-03 23:57' is not a date in the format MM/dd/yyyy hh:mm:ss a"));
        assertTrue(quarantine.getText(), quarantine.getText().contains("302"));
        logOut();
        Files.delete(export);
    }

    /**
     * A site's analyst onboards an export in the console alone: a profile drafted from a headerless sample, saved,
     * and tried, the dry run showing the counts and the 12:30 call at 12:30 in Chicago, read by a browser in Honolulu.
     */
    @Test
    public void anAnalystDraftsSavesAndTriesAProfileInTheConsole() {
        String sample = java.nio.file.Paths.get("src/test/resources/onboarding/cad-calls.csv")
                .toAbsolutePath()
                .toString();
        logIn("chicago-police");
        browser.get(console + "#/sites/chicago");
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("a[data-test=setup-link]")))
                .click();
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=sample-card]")));
        browser.findElement(By.id("sample-file")).sendKeys(sample);
        browser.findElement(By.cssSelector("button[data-test=draft]")).click();
        WebElement draft =
                await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=draft-view]")));
        assertTrue(draft.getText(), draft.getText().contains("no header row"));
        WebElement name = browser.findElement(By.id("draft-name"));
        name.clear();
        name.sendKeys("cad-calls-console.json");
        browser.findElement(By.cssSelector("button[data-test=save-draft]")).click();
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-file='cad-calls-console.json']")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("trial-profile")))
                .selectByValue("cad-calls-console.json");
        browser.findElement(By.id("sample-file")).sendKeys(sample);
        browser.findElement(By.cssSelector("button[data-test=trial]")).click();
        WebElement trial =
                await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=trial-view]")));
        String counts =
                browser.findElement(By.cssSelector("[data-test=trial-counts]")).getText();
        assertTrue(counts, counts.startsWith("400 rows read:") && counts.contains("Nothing was stored."));
        String records = browser.findElement(By.cssSelector("table[data-test=trial-records]"))
                .getText();
        assertTrue(records, records.contains("2026-11-05 12:30:00 (CST)"));
        assertTrue(trial.getText(), trial.getText().contains("Would be quarantined"));
        logOut();
    }

    @Test
    public void ttaAdministratorSeesEverySiteButOnlyCountsOfItsPeople() {
        logIn("demo-tta-admin");
        assertEquals(List.of("chicago", "denver"), siteRows());
        browser.get(console + "#/sites/denver");
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=team-counts]")));
        assertTrue(browser.findElements(By.cssSelector("table[data-test=team]")).isEmpty());
        logOut();
    }

    /**
     * Step 1 on the map: the demo site's beats drawn as the base map (no outside tiles), Gi* hot spots with their
     * legend, suggested areas with their reasons, the target's corners moved, the areas saved on the intervention, and
     * the printable map served as a PNG.
     */
    @Test
    public void policeMapHotSpotsAndSaveTheSuggestedAreas() throws IOException {
        logIn("chicago-police");
        browser.get(console + "#/sites/chicago/map");
        // 277 beats and 25 districts, one SVG path each, before anything else
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("[data-test=map] svg path"))
                                .size()
                        >= 302);
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.cssSelector("[data-test=map-legend]"))
                        .getText()
                        .contains("Getis-Ord Gi*"));
        assertTrue(browser.findElement(By.cssSelector("[data-test=map-legend]"))
                .getText()
                .contains("latest records"));
        assertTrue(browser.findElement(By.cssSelector("[data-test=map-summary]"))
                .getText()
                .contains("records: "));
        // no request left the machine: every resource came from the platform itself
        Object outside = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => !n.startsWith(location.origin)).length");
        assertEquals(0L, outside);

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("[data-test=map-intervention]")))
                .selectByVisibleText("Demo market (demo)");
        browser.findElement(By.cssSelector("[data-test=map-suggest]")).click();
        awaitNotice("Suggested areas drawn");
        String reasons =
                browser.findElement(By.cssSelector("[data-test=map-reasons]")).getText();
        assertTrue(
                reasons,
                reasons.contains("target: ") && reasons.contains("buffer: ") && reasons.contains("comparison: "));
        browser.findElement(By.cssSelector("[data-test=map-edit]")).click();
        List<WebElement> corners = browser.findElements(By.cssSelector(".corner"));
        assertTrue(corners.size() >= 4);
        // a corner moved a little (a move that made the area cross itself would be refused when saved)
        String before =
                browser.findElement(By.cssSelector("[data-test=map] svg")).getAttribute("innerHTML");
        new org.openqa.selenium.interactions.Actions(browser)
                .dragAndDropBy(corners.get(0), 3, 2)
                .perform();
        assertFalse(before.equals(
                browser.findElement(By.cssSelector("[data-test=map] svg")).getAttribute("innerHTML")));
        browser.findElement(By.cssSelector("[data-test=map-save-areas]")).click();
        awaitNotice("Areas saved on the intervention");

        String print =
                browser.findElement(By.cssSelector("[data-test=map-print]")).getAttribute("href");
        assertTrue(print, print.contains("/api/v1/sites/chicago/map.png?") && print.contains("intervention="));
        Object png = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status + ' '"
                                + " + r.headers.get('content-type')))",
                        print);
        assertEquals("200 image/png", png);
        java.nio.file.Files.write(
                java.nio.file.Paths.get("target", "map-page.png"),
                browser.findElement(By.cssSelector("[data-test=map]"))
                        .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    /**
     * The service directory: the demo's imported HSDS providers searched by kind of service and around a clicked place,
     * and a provider the import lacks added to the site's local directory, then found beside them.
     */
    @Test
    public void servicesStaffSearchTheDirectoryAndAddALocalProvider() {
        logIn("chicago-services");
        browser.get(console + "#/sites/chicago/directory");
        WebElement results =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-test=directory]")));
        assertEquals(7, results.findElements(By.cssSelector("tbody tr")).size());
        assertTrue(browser.findElement(By.cssSelector("[data-test=directory-sources]"))
                .getText()
                .contains("HSDS 3.0 package demo-directory.json, 7 services"));
        browser.findElement(By.cssSelector("[data-test=category-drug-treatment]"))
                .click();
        browser.findElement(By.cssSelector("[data-test=directory-go]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> d.findElements(By.cssSelector("table[data-test=directory] tbody tr"))
                                .size()
                        == 2);
        // a place on the map: nearest first, with the distance
        browser.findElement(By.cssSelector("[data-test=directory-map]")).click();
        browser.findElement(By.cssSelector("[data-test=directory-go]")).click();
        await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[data-test=directory]"), " km"));

        browser.findElement(By.cssSelector("[data-test=svc-category-family]")).click();
        fill("svc-name", "Grandparents Raising Kids Group (demo)");
        fill("svc-org", "Westside Elders (demo)");
        fill("svc-address", "2500 W Madison St, Chicago");
        browser.findElement(By.cssSelector("[data-test=svc-save]")).click();
        awaitNotice("Grandparents Raising Kids Group (demo): saved in the local directory.");
        browser.findElement(By.cssSelector("[data-test=category-drug-treatment]"))
                .click();
        browser.findElement(By.cssSelector("[data-test=directory-go]")).click();
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("table[data-test=directory]"), "Grandparents Raising Kids Group (demo)"));
        assertTrue(browser.findElement(By.cssSelector("[data-test=directory-sources]"))
                .getText()
                .contains("Local directory, 1 service"));
        assertEquals(
                1, browser.findElements(By.cssSelector("[data-test=svc-edit]")).size());
    }

    private static String notice() {
        WebElement notice = browser.findElement(By.id("notice"));
        return notice.isDisplayed() ? notice.getText() : "";
    }

    private static void awaitNotice(String containing) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> notice().contains(containing));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited for a notice saying '" + containing + "'; it says '" + notice() + "'", e);
        }
    }

    private static void fill(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    /** Sets a step's own status on the checklist tab. */
    private static void setStep(String intervention, String step, String status) {
        browser.get(intervention + "/checklist");
        // the page renders again when its data arrives: a block found in the first rendering can go stale
        for (int attempt = 1; ; attempt++) {
            try {
                WebElement block = await(
                        ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-step='" + step + "']")));
                // only the current step is open; another is unfolded by its title
                if (block.getAttribute("open") == null) {
                    block.findElement(By.cssSelector(":scope > summary")).click();
                }
                new org.openqa.selenium.support.ui.Select(block.findElement(By.cssSelector(":scope > .control select")))
                        .selectByValue(status);
                block.findElement(By.cssSelector(":scope > .control button")).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Opens a Chicago intervention from the site page by its name; its address, without the tab. */
    private static String intervention(String name) {
        browser.get(console + "#/sites/chicago");
        await(ExpectedConditions.elementToBeClickable(By.linkText(name))).click();
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=checklist]")));
        return browser.getCurrentUrl().replaceAll("/checklist$", "");
    }

    private static String currentStep() {
        return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=current-step]")))
                .getText();
    }

    @Test
    public void mainFlowFromAnInterventionToCallInAttendanceMovesTheProgress() {
        // the point of contact starts the intervention
        logIn("chicago-poc");
        browser.get(console + "#/sites/chicago");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("new-intervention-name")));
        fill("new-intervention-name", "Browser test market");
        // started today: the newest of the site, after the demo intervention, so the TTA overview follows it
        browser.findElement(By.id("new-intervention-startedOn"))
                .sendKeys(java.time.LocalDate.now(java.time.ZoneId.of("America/Chicago"))
                        .format(java.time.format.DateTimeFormatter.ofPattern("MMddyyyy")));
        fill("new-intervention-rationale", "most drug calls for service");
        browser.findElement(By.cssSelector("form[data-test=new-intervention] button"))
                .click();
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=checklist]")));
        String intervention = browser.getCurrentUrl().replaceAll("/checklist$", "");
        assertEquals("Form the DMI team", currentStep());
        setStep(intervention, "team", "done");
        awaitNotice("Form the DMI team: done");
        setStep(intervention, "swot", "done");
        awaitNotice("SWOT analysis: done");
        // the current step is open, the others folded, and the page says what to do next
        browser.get(intervention + "/checklist");
        WebElement next = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=next]")));
        assertTrue(next.getText(), next.getText().startsWith("Next: Step 1: Crime mapping. To do: "));
        assertEquals(
                "true", browser.findElement(By.cssSelector("[data-step='1']")).getAttribute("open"));
        assertEquals(
                null, browser.findElement(By.cssSelector("[data-step='3b']")).getAttribute("open"));
        // two items of the step set at once
        List<WebElement> boxes = browser.findElements(By.cssSelector("[data-step='1'] li input[type=checkbox]"));
        boxes.get(0).click();
        boxes.get(1).click();
        browser.findElement(By.cssSelector("[data-test=bulk-1]")).click();
        awaitNotice("Crime mapping: 2 item(s) done.");
        assertEquals(
                2,
                browser.findElements(By.cssSelector("[data-step='1'] li [data-status=done]"))
                        .size());
        assertEquals("Step 1: Crime mapping", currentStep());
        logOut();

        // police set the target area, as GeoJSON, with the rationale
        logIn("chicago-police");
        browser.get(intervention + "/areas");
        WebElement target = await(ExpectedConditions.visibilityOfElementLocated(By.id("area-target")));
        target.sendKeys(
                "{\"type\":\"Polygon\",\"coordinates\":[[[-87.66,41.75],[-87.65,41.75],[-87.65,41.76],[-87.66,41.75]]]}");
        browser.findElement(By.cssSelector("form[data-test=areas-form] button[type=submit]"))
                .click();
        awaitNotice("Areas saved");
        assertTrue(browser.findElement(By.cssSelector("[data-test=target-area]"))
                .getText()
                .startsWith("Polygon, 1 polygon(s), 4 positions"));

        // police enter two people, decide one a call-in candidate
        browser.get(intervention + "/persons");
        for (String name : List.of("Browser Candidate One", "Browser Person Two")) {
            await(ExpectedConditions.visibilityOfElementLocated(By.id("new-person-name")));
            fill("new-person-name", name);
            fill("new-person-justification", "observed hand-to-hand sales at the corner");
            fill("new-person-source", "vice unit survey");
            browser.findElement(By.cssSelector("form[data-test=new-person] button"))
                    .click();
            awaitNotice(name + " entered");
        }
        WebElement first = browser.findElements(By.cssSelector("table[data-test=persons] tbody tr"))
                .get(0);
        // the decision is chosen, never defaulted
        assertEquals(
                "",
                new org.openqa.selenium.support.ui.Select(first.findElement(By.name("decision")))
                        .getFirstSelectedOption()
                        .getAttribute("value"));
        new org.openqa.selenium.support.ui.Select(first.findElement(By.name("decision"))).selectByValue("call-in");
        first.findElement(By.name("criteria")).sendKeys("street level, no violence, no pending charges");
        first.findElement(By.cssSelector("button")).click();
        awaitNotice("Decision recorded for Browser Candidate One");
        assertEquals(
                "call in",
                browser.findElements(By.cssSelector("table[data-test=persons] tbody tr [data-test=decision]"))
                        .get(0)
                        .getText());

        // no letter before the candidate decision step is done: the gate says why
        browser.get(intervention + "/call-in");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("call-in-plan-place")));
        browser.findElement(By.id("call-in-plan-at")).sendKeys("06122026", org.openqa.selenium.Keys.TAB, "0630PM");
        fill("call-in-plan-place", "District 7 station, community room");
        browser.findElement(By.cssSelector("form[data-test=call-in-plan] button"))
                .click();
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=call-in]")));
        browser.findElement(By.cssSelector("[data-test=generate-letter]")).click();
        awaitNotice("rule: letters-after-candidate-decision");

        setStep(intervention, "3b", "done");
        awaitNotice("Identify call-in candidates: done");
        browser.get(intervention + "/call-in");
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=generate-letter]")))
                .click();
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=mark-sent]")))
                .click();
        awaitNotice("Letter marked sent");
        String letterHref =
                browser.findElement(By.cssSelector("[data-test=letter-html]")).getAttribute("href");

        // attendance waits for the call-in gate
        browser.findElement(By.cssSelector("[data-test=attended]")).click();
        awaitNotice("rule: call-in-after-letters-and-services");
        setStep(intervention, "5a", "done");
        awaitNotice("done");
        setStep(intervention, "6a", "done");
        awaitNotice("Contact call-in candidates: done");
        logOut();

        logIn("chicago-services");
        setStep(intervention, "7a", "done");
        awaitNotice("Services available at the call-in: done");
        // Step 7a in full: a provider for five kinds of service, transportation marked not offered
        browser.get(intervention + "/call-in");
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=services-open]"), "6 of 6 kinds of service still to arrange"));
        for (String category : List.of("drug-treatment", "education", "job-training", "employment", "family")) {
            WebElement provider = await(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("[data-test=service-provider-" + category + "]")));
            provider.clear();
            provider.sendKeys("Provider of " + category + " (demo)");
            browser.findElement(By.cssSelector("[data-test=service-save-" + category + "]"))
                    .click();
            // the tab is drawn again with the arrangement in its row
            await(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("[data-test=service-" + category + "]"), "Provider of " + category + " (demo)"));
        }
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=service-offered-transportation]")))
                .click();
        browser.findElement(By.cssSelector("[data-test=service-note-transportation]"))
                .sendKeys("no bus passes this time");
        browser.findElement(By.cssSelector("[data-test=service-save-transportation]"))
                .click();
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=services-open]"), "Every kind of service is arranged"));
        assertTrue(browser.findElement(By.cssSelector("[data-test=service-transportation]"))
                .getText()
                .contains("not offered: no bus passes this time"));
        logOut();

        logIn("chicago-poc");
        browser.get(intervention + "/call-in");
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=attended]")))
                .click();
        awaitNotice("Attendance of Browser Candidate One recorded");
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=call-in-held]")))
                .click();
        awaitNotice("Call-in recorded as held");
        assertTrue(browser.findElement(By.cssSelector("[data-test=call-in]"))
                .getText()
                .contains("1 of 1 invited came"));
        // the deadline given at the call-in, then whether it was met: the page says so
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=next]"), "give each candidate who came a deadline"));
        await(ExpectedConditions.visibilityOfElementLocated(By.id("new-deadline-what")));
        browser.findElement(By.id("new-deadline-due")).sendKeys(chicagoDay(0));
        fill("new-deadline-what", "enrolled in job training");
        browser.findElement(By.cssSelector("form[data-test=new-deadline] button"))
                .click();
        awaitNotice("Deadline recorded.");
        WebElement deadline = await(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("table[data-test=deadlines-list] tr[data-deadline]")));
        assertEquals(
                "open",
                deadline.findElement(By.cssSelector("[data-test=deadline-status]"))
                        .getText());
        deadline.findElement(By.cssSelector("form button")).click();
        awaitNotice("Deadline met.");
        assertTrue(await(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("table[data-test=deadlines-list] [data-test=deadline-status]")))
                .getText()
                .startsWith("met on "));

        // the letter itself, as its own document
        browser.get(letterHref);
        assertTrue(browser.getPageSource().contains("Dear Browser Candidate One,"));

        // progress moved, and the timeline tells the story without naming anyone
        browser.get(intervention + "/checklist");
        assertEquals("Step 1: Crime mapping", currentStep());
        String fidelity = browser.findElement(By.cssSelector("[data-phase=preparing] [data-test=phase-fidelity]"))
                .getText();
        assertTrue(fidelity, fidelity.startsWith("fidelity 53% (8 of 15 items)"));
        browser.get(intervention + "/timeline");
        String timeline = await(
                        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table[data-test=timeline]")))
                .getText();
        assertTrue(timeline, timeline.contains("Call-in held: 1 of 1 invited came"));
        assertFalse(timeline.contains("Browser Candidate One"));
        logOut();

        // the community member sees the candidate, not the other person, and no intelligence
        logIn("chicago-community");
        browser.get(intervention + "/persons");
        String list = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table[data-test=persons]")))
                .getText();
        assertTrue(list.contains("Browser Candidate One"));
        assertFalse(list.contains("Browser Person Two"));
        assertFalse(list.contains("street level, no violence"));
        // tabs for the community's work only: no banked cases, no records figures; asked for, the page says so
        List<String> tabs = browser.findElements(By.cssSelector("nav.tabs a")).stream()
                .map(a -> a.getAttribute("data-tab"))
                .toList();
        assertTrue(tabs.toString(), tabs.contains("community") && tabs.contains("persons"));
        assertFalse(tabs.toString(), tabs.contains("cases") || tabs.contains("outcome"));
        browser.get(intervention + "/cases");
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=not-for-role]")));
        assertFalse(notice(), notice().contains("/api/"));
        // a resident's call typed as read on a clock in Chicago, last evening, by a browser in Honolulu: read back as
        // typed, and answered once with who answered
        browser.get(intervention + "/community");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("new-call-receivedAt")));
        browser.findElement(By.id("new-call-receivedAt"))
                .sendKeys(chicagoDay(-1), org.openqa.selenium.Keys.TAB, "0945PM");
        fill("new-call-about", "selling at the corner again");
        browser.findElement(By.cssSelector("form[data-test=new-call] button")).click();
        awaitNotice("Call recorded.");
        String yesterday = java.time.LocalDate.now(java.time.ZoneId.of("America/Chicago"))
                .minusDays(1)
                .toString();
        WebElement row = await(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//table[@data-test='resident-calls']//tr[td[2][text()='selling at the corner again']]")));
        assertEquals(yesterday + " 21:45", row.findElement(By.xpath("td[1]")).getText());
        String call = row.getAttribute("data-call");
        browser.findElement(By.id("answer-" + call + "-at"))
                .sendKeys(chicagoDay(-1), org.openqa.selenium.Keys.TAB, "1005PM");
        fill("answer-" + call + "-outcome", "patrol sent");
        browser.findElement(By.cssSelector("form[data-test=answer-" + call + "] button"))
                .click();
        awaitNotice("Answer recorded.");
        String answered = await(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("tr[data-call='" + call + "'] td:nth-child(3)")))
                .getText();
        assertEquals(yesterday + " 22:05 (20 min), by chicago-community", answered);
        logOut();

        // and the TTA overview shows the site's step and fidelity
        logIn("demo-tta-staff");
        browser.get(console + "#/overview");
        WebElement chicago = await(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("table[data-test=overview] tr[data-site=chicago]")));
        assertEquals(
                "Step 1: Crime mapping",
                chicago.findElement(By.cssSelector("[data-test=current-step]")).getText());
        assertFalse(chicago.findElement(By.cssSelector("[data-test=fidelity]"))
                .getText()
                .equals("0%"));
        assertFalse(browser.getPageSource().contains("Browser Candidate One"));
        // every intervention of the site, not only the newest
        String every = browser.findElement(By.cssSelector("table[data-test=every-intervention]"))
                .getText();
        assertTrue(every, every.contains("Browser test market") && every.contains("Past market (demo)"));
        logOut();
    }

    /** Chooses the option of a select whose text holds {@code text}, once the options have arrived. */
    private static void choose(String test, String text) {
        WebElement select =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=" + test + "]")));
        WebElement option = new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> select.findElements(By.tagName("option")).stream()
                        .filter(o -> o.getText().contains(text))
                        .findFirst()
                        .orElse(null));
        new org.openqa.selenium.support.ui.Select(select).selectByValue(option.getAttribute("value"));
    }

    private static String chicagoDay(int daysFromToday) {
        return java.time.LocalDate.now(java.time.ZoneId.of("America/Chicago"))
                .plusDays(daysFromToday)
                .format(java.time.format.DateTimeFormatter.ofPattern("MMddyyyy"));
    }

    @Test
    public void servicesReferTheCallInsCandidatesAndFollowUpUnderConsent() {
        logIn("chicago-services");
        String intervention = intervention("Demo market (demo)");

        // at the call-in: the one invited candidate referred to a job-training service of the directory
        browser.get(intervention + "/call-in");
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[data-test=bulk-referral]")));
        // before the call-in nobody came yet: the invited are ticked by hand
        browser.findElement(By.cssSelector("form[data-test=bulk-referral] input[type=checkbox]"))
                .click();
        choose("bulk-category", "Job training");
        choose("bulk-service", "Trades Ready Apprenticeship (demo)");
        browser.findElement(By.cssSelector("[data-test=bulk-refer]")).click();
        awaitNotice("1 referred.");
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=outcomes-job-training]"), "Job training 1 1"));

        // the candidate's page: the referral, an outcome, a task already due, a mentor
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-invitee] [data-test=person-link]")))
                .click();
        WebElement jobs =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-category=job-training]")));
        assertTrue(
                jobs.getText(),
                jobs.getText()
                        .startsWith(
                                "Job training: Trades Community Services (demo) (Trades Ready Apprenticeship (demo))"));
        // the service's place and phone, from the directory
        assertTrue(jobs.getText(), jobs.getText().contains("900 S Ashland Ave"));
        String referral = jobs.getAttribute("data-referral");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("outcome-" + referral + "-outcome")))
                .selectByValue("intake");
        fill("outcome-" + referral + "-note", "came to the first session");
        browser.findElement(By.cssSelector("form[data-test=outcome-" + referral + "] button"))
                .click();
        awaitNotice("Outcome recorded.");
        assertEquals(
                "intake",
                browser.findElement(By.cssSelector("[data-referral='" + referral + "'] [data-test=referral-status]"))
                        .getText());
        fill("task-" + referral + "-what", "call about week two");
        browser.findElement(By.id("task-" + referral + "-due")).sendKeys(chicagoDay(-1));
        browser.findElement(By.cssSelector("form[data-test=task-" + referral + "] button"))
                .click();
        awaitNotice("Task added.");

        // drug treatment from the person's page: the provider's outcome needs the person's consent naming the reader
        choose("refer-category", "Drug treatment");
        choose("refer-service", "Westside Recovery Outpatient (demo)");
        browser.findElement(By.cssSelector("[data-test=refer]")).click();
        awaitNotice("referred.");
        WebElement treatment =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-category=drug-treatment]")));
        String treated = treatment.getAttribute("data-referral");
        assertTrue(treatment
                .findElement(By.cssSelector("[data-test=treatment-withheld]"))
                .isDisplayed());
        // without a consent naming the user, only the programme's own outcomes are offered
        assertEquals(
                List.of("referred", "declined"),
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("outcome-" + treated + "-outcome")))
                        .getOptions().stream().map(o -> o.getAttribute("value")).toList());
        fill("consent-" + treated + "-recipients", "chicago-services");
        fill("consent-" + treated + "-purpose", "coordinate the services offered at the call-in");
        fill("consent-" + treated + "-information", "attendance and progress in treatment");
        browser.findElement(By.id("consent-" + treated + "-givenOn")).sendKeys(chicagoDay(0));
        browser.findElement(By.id("consent-" + treated + "-expiresOn")).sendKeys(chicagoDay(90));
        browser.findElement(By.cssSelector("form[data-test=consent-" + treated + "] button"))
                .click();
        awaitNotice("Consent recorded.");
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=treatment-follow-up]")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("outcome-" + treated + "-outcome")))
                .selectByValue("engaged");
        browser.findElement(By.cssSelector("form[data-test=outcome-" + treated + "] button"))
                .click();
        awaitNotice("Outcome recorded.");
        WebElement shown = await(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-referral='" + treated + "'] table[data-test=referral-history]")));
        assertTrue(shown.getText(), shown.getText().contains("engaged"));
        assertTrue(
                browser.findElement(By.cssSelector("[data-referral='" + treated + "'] [data-test=redisclosure-notice]"))
                        .getText()
                        .contains("42 CFR part 2"));
        String person = browser.getCurrentUrl();

        // the coordinator's list holds the task now due
        browser.get(console + "#/sites/chicago/follow-ups");
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("table[data-test=overdue]"), "call about week two"));
        logOut();

        // community, not named by the consent: the referral, never what the provider reported
        logIn("chicago-community");
        browser.get(person);
        WebElement other =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-category=drug-treatment]")));
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=treatment-withheld]")));
        assertEquals(
                "referred",
                other.findElement(By.cssSelector("[data-test=referral-status]")).getText());
        for (WebElement history : other.findElements(By.cssSelector("table[data-test=referral-history]"))) {
            assertFalse(history.getText(), history.getText().contains("engaged"));
        }
        assertTrue(browser.findElements(By.cssSelector("[data-test=redisclosure-notice]"))
                .isEmpty());
        logOut();

        // police: no referral at all
        logIn("chicago-police");
        browser.get(person);
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("main"),
                "Referrals to services are shown to services, community and the point of contact only."));
        assertFalse(browser.findElement(By.tagName("main")).getText().contains("Westside Recovery"));
        logOut();
    }

    @Test
    public void researchReadsTheOutcomeOfTheFinishedDemoMarket() {
        logIn("chicago-research");
        String market = intervention("Past market (demo)");
        // the process report: fidelity and the team for the research partner, no call-in, referral or enforcement
        // counts
        browser.get(market + "/process");
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=process-team]")));
        assertTrue(browser.findElement(By.cssSelector("[data-test=process-fidelity]"))
                .getText()
                .startsWith("Fidelity "));
        assertTrue(browser.findElements(By.cssSelector("[data-test=process-call-in]"))
                .isEmpty());
        assertTrue(browser.findElements(By.cssSelector("[data-test=process-enforcement]"))
                .isEmpty());
        // the after-action debrief: the four goals assessed, what to change
        browser.get(market + "/debrief");
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form[data-test=debrief-form]")));
        new org.openqa.selenium.support.ui.Select(
                        browser.findElement(By.cssSelector("[data-test=goal-eliminate-market]")))
                .selectByValue("partly-met");
        // the evidence is filled in with what every reader may read (the watch's alert); the records' figures are
        // beside it for the research partner to weigh, not copied into the debrief
        WebElement evidence = browser.findElement(By.cssSelector("[data-test=goal-evidence-eliminate-market]"));
        String filled = evidence.getAttribute("value");
        assertTrue(filled, filled.startsWith("The market watch raised 1 alert(s)"));
        assertFalse(filled, filled.contains("Drug records"));
        String figures = browser.findElement(By.cssSelector("[data-test=goal-figures-eliminate-market]"))
                .getText();
        assertTrue(figures, figures.contains("Drug records in the target area: "));
        assertTrue(figures, figures.contains("Drug records against the comparison area: rate ratio "));
        evidence.clear();
        evidence.sendKeys("drug incidents fell against the comparison area; the market came back in the last weeks");
        browser.findElement(By.cssSelector("[data-test=debrief-toChange]")).sendKeys("keep watching after the call-in");
        browser.findElement(By.cssSelector("[data-test=debrief-save]")).click();
        awaitNotice("Debrief recorded.");
        String latest = await(
                        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=debrief-latest]")))
                .getText();
        assertTrue(latest, latest.contains("Eliminate the open-air drug market partly met"));
        assertTrue(latest, latest.contains("To change: keep watching after the call-in"));
        browser.get(market + "/outcome");
        WebElement findings =
                await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=outcome-findings]")));
        String text = findings.getText();
        assertTrue(text, text.contains("Difference in differences: the target area's records fell"));
        assertTrue(text, text.contains("Weighted displacement difference"));
        assertTrue(text, text.contains("Time series (22 whole months"));
        String areas = browser.findElement(By.cssSelector("table[data-test=outcome-areas]"))
                .getText();
        assertTrue(areas, areas.contains("Target") && areas.contains("Comparison") && areas.contains("Buffer"));
        // three charts drawn by Chart.js
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> d.findElements(By.cssSelector("[data-test^=outcome-] canvas"))
                                .size()
                        == 3);
        // the demo's call-in was held and its windows are over: every figure is there, nothing to excuse
        assertTrue(
                browser.findElements(By.cssSelector("[data-test=not-computed]")).isEmpty());
        // and its watch: the market came back in the last weeks
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=watch-drug-incidents] canvas")));
        assertTrue(browser.findElement(By.cssSelector("[data-test=outcome-csv]"))
                .getAttribute("href")
                .contains("format=csv"));
        String pageUrl =
                browser.findElement(By.cssSelector("[data-test=outcome-html]")).getAttribute("href");
        String pdfUrl =
                browser.findElement(By.cssSelector("[data-test=outcome-pdf]")).getAttribute("href");
        // a window longer than the records have: the after window is not over
        WebElement after = browser.findElement(By.id("outcome-after"));
        after.clear();
        after.sendKeys("24");
        browser.findElement(By.cssSelector("[data-test=outcome-go]")).click();
        // the demo's call-in is on the 12th of the month eighteen months back in Chicago's zone: before the 12th
        // of this month, seventeen whole months of it are over, from the 12th on, eighteen
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("America/Chicago"));
        long over = java.time.temporal.ChronoUnit.MONTHS.between(
                today.minusMonths(18).withDayOfMonth(12), today);
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=not-computed]"), "after today; a window of " + over + " month(s)"));
        // the PDF, made in the running platform by the reporting bundle's own PDFBox and JFreeChart
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Object pdf = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(async (r) => { const b = new Uint8Array(await"
                                + " r.arrayBuffer()); done([r.status, r.headers.get('content-type'),"
                                + " String.fromCharCode(...b.slice(0, 5)), b.length]); }, (e) => done(String(e)));",
                        pdfUrl);
        java.util.List<?> answer = (java.util.List<?>) pdf;
        assertEquals(String.valueOf(answer), 200L, answer.get(0));
        assertEquals("application/pdf", answer.get(1));
        assertEquals("%PDF-", answer.get(2));
        assertTrue(String.valueOf(answer), ((Number) answer.get(3)).longValue() > 20_000);
        // the same PDF made in the background by the scheduler, listed with its file once made
        browser.findElement(By.cssSelector("[data-test=outcome-pdf-run]")).click();
        awaitNotice("The PDF is being made");
        WebElement made = new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=run-result]")));
        assertTrue(made.getText(), made.getText().matches("chicago-intervention-\\d+-outcome\\.pdf \\(\\d+ KiB\\)"));
        assertEquals(
                "made",
                browser.findElement(By.cssSelector("[data-test=run-status]")).getText());
        java.util.List<?> ran = (java.util.List<?>) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(async (r) => { const b = new Uint8Array(await"
                                + " r.arrayBuffer()); done([r.status, r.headers.get('content-type'),"
                                + " String.fromCharCode(...b.slice(0, 5)), b.length]); }, (e) => done(String(e)));",
                        made.getAttribute("href"));
        assertEquals(String.valueOf(ran), 200L, ran.get(0));
        assertEquals("application/pdf", ran.get(1));
        assertEquals("%PDF-", ran.get(2));
        assertTrue(String.valueOf(ran), ((Number) ran.get(3)).longValue() > 20_000);
        // the page: its four charts (the map of the areas among them) shown under its own strict policy
        browser.get(pageUrl);
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> "Outcome evaluation: Past market (demo)".equals(d.getTitle()));
        Object drawn = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length");
        assertEquals(4L, drawn);
        browser.navigate().back();
        logOut();
    }

    @Test
    public void theReturnOfTheFinishedMarketIsAlertedAndAcknowledged() {
        // national staff see which site has an alert open, and nothing else of it
        logIn("demo-tta-staff");
        browser.get(console + "#/overview");
        WebElement chicago = await(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("table[data-test=overview] tr[data-site=chicago]")));
        assertEquals(
                "1 open alert(s)",
                chicago.findElement(By.cssSelector("[data-test=open-alerts]")).getText());
        // the quarter's measures: no count under five anywhere
        WebElement measures =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-test=performance]")));
        for (WebElement cell : measures.findElements(By.cssSelector("tbody td:not(:first-child)"))) {
            String text = cell.getText();
            assertTrue(text, text.equals("under 5") || Long.parseLong(text) >= 5);
        }
        logOut();

        logIn("chicago-poc");
        browser.get(console + "#/sites/chicago");
        WebElement watch =
                await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=market-watch]")));
        assertTrue(watch.getText(), watch.getText().contains("1 alert(s) open"));
        assertTrue(watch.getText(), watch.getText().contains("Past market (demo)"));
        assertTrue(watch.getText(), watch.getText().contains("Drug incidents"));
        watch.findElement(By.cssSelector("[data-test=alert-note]")).sendKeys("extra patrols on the corner (demo)");
        watch.findElement(By.cssSelector("[data-test=alert-acknowledge]")).click();
        awaitNotice("Alert acknowledged.");
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=market-watch]"), "Every alert has been acknowledged."));
        assertTrue(browser.findElement(By.cssSelector("[data-test=market-watch]"))
                .getText()
                .contains("acknowledged by chicago-poc: extra patrols on the corner (demo)"));
        // the records behind it: the alerted week's drug incidents in the target area
        browser.findElement(By.cssSelector("[data-test=alert-records]")).click();
        String filter = await(
                        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=records-filter]")))
                .getText();
        assertTrue(filter, filter.contains("area target") && filter.contains("category drug"));
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-test=records] tbody tr")));
        List<WebElement> rows = browser.findElements(By.cssSelector("table[data-test=records] tbody tr"));
        assertTrue(rows.size() >= 3);
        for (WebElement row : rows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertEquals("incident", cells.get(1).getText());
            assertEquals("drug", cells.get(2).getText());
        }
        logOut();
    }

    /** What the checklist asks for and only the REST API took before: each role enters its part in the console. */
    @Test
    public void eachRoleEntersItsRecordsOfTheStepsInTheConsole() {
        logIn("chicago-police");
        String live = intervention("Demo market (demo)");
        // Step 3: a key address of the market
        browser.get(live + "/persons");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("new-address-address")));
        fill("new-address-address", "1200 W Corner St (demo)");
        fill("new-address-note", "stash house seen in the incident review");
        browser.findElement(By.cssSelector("form[data-test=new-address] button"))
                .click();
        awaitNotice("Address added.");
        assertTrue(browser.findElement(By.cssSelector("table[data-test=addresses-list]"))
                .getText()
                .contains("1200 W Corner St (demo)"));
        // Step 3a on a person: the facts refined, an influential; Step 8 waits for the call-in
        browser.findElement(By.linkText("Demo Person A (demo)")).click();
        await(ExpectedConditions.visibilityOfElementLocated(By.id("facts-pendingCharges")));
        fill("facts-pendingCharges", "none found in the court records (demo)");
        browser.findElement(By.cssSelector("form[data-test=facts-form] button")).click();
        awaitNotice("Facts saved.");
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=person-facts]"), "none found in the court records (demo)"));
        fill("influential-name", "An Aunt (demo)");
        fill("influential-relationship", "aunt");
        browser.findElement(By.cssSelector("form[data-test=influential] button"))
                .click();
        awaitNotice("Influential added.");
        assertTrue(browser.findElement(By.cssSelector("table[data-test=influentials-list]"))
                .getText()
                .contains("An Aunt (demo)"));
        // Step 3 on the person: the incident review, a link to the key address; the notebook to print
        browser.findElement(By.id("incident-note-reviewedOn")).sendKeys(chicagoDay(0));
        fill("incident-note-note", "three sales on video at the corner (demo)");
        browser.findElement(By.cssSelector("form[data-test=incident-note] button"))
                .click();
        awaitNotice("Incident review noted.");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("address-link-relation")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("address-link-address")))
                .selectByVisibleText("1200 W Corner St (demo)");
        fill("address-link-relation", "sells in front of it");
        browser.findElement(By.cssSelector("form[data-test=address-link] button"))
                .click();
        awaitNotice("Address linked.");
        String notebookUrl = await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=notebook]")))
                .getAttribute("href");
        String personPage = browser.getCurrentUrl();
        browser.get(notebookUrl);
        String notebook = browser.findElement(By.tagName("body")).getText();
        assertTrue(notebook, notebook.contains("Demo Person A (demo)"));
        assertTrue(notebook, notebook.contains("three sales on video at the corner (demo)"));
        assertTrue(notebook, notebook.contains("1200 W Corner St (demo) sells in front of it"));
        browser.get(personPage);
        await(ExpectedConditions.visibilityOfElementLocated(By.id("violation-occurredOn")));
        browser.findElement(By.id("violation-occurredOn")).sendKeys(chicagoDay(0));
        fill("violation-description", "sold at the corner again");
        browser.findElement(By.cssSelector("form[data-test=violation] button")).click();
        awaitNotice("rule: enforcement-after-call-in");
        // Step 2: a survey; Step 3: the link chart draws the link made on the person's page
        browser.get(live + "/persons");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("new-survey-surveyed")));
        browser.findElement(By.id("new-survey-surveyedOn")).sendKeys(chicagoDay(0));
        fill("new-survey-surveyed", "beat officers, 3rd watch (demo)");
        fill("new-survey-source", "patrol");
        fill("new-survey-namesOffered", "Demo Person A (demo)");
        browser.findElement(By.cssSelector("form[data-test=new-survey] button")).click();
        awaitNotice("Survey recorded.");
        WebElement chart =
                await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=link-chart] svg")));
        assertEquals(1, chart.findElements(By.tagName("line")).size());
        // Step 6a: the chief who signs the letters, and where they come from
        browser.get(live + "/call-in");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("letterhead-chief")));
        fill("letterhead-chief", "Jane Roe (demo)");
        fill("letterhead-title", "Chief of Police (demo)");
        fill("letterhead-department", "Police Department (demo)");
        fill("letterhead-mailingAddress", "100 Main Street (demo)");
        browser.findElement(By.cssSelector("form[data-test=letterhead] button")).click();
        awaitNotice("Letterhead saved.");
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("form[data-test=letterhead] h3"), "Letterhead"));
        assertEquals(
                "Jane Roe (demo)",
                browser.findElement(By.id("letterhead-chief")).getAttribute("value"));
        logOut();

        // Step 9: a newsletter, by the community
        logIn("chicago-community");
        browser.get(live + "/community");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("new-newsletter-title")));
        browser.findElement(By.id("new-newsletter-publishedOn")).sendKeys(chicagoDay(0));
        fill("new-newsletter-title", "The corner is ours again (demo)");
        browser.findElement(By.cssSelector("form[data-test=new-newsletter] button"))
                .click();
        awaitNotice("Newsletter recorded.");
        assertTrue(browser.findElement(By.cssSelector("table[data-test=newsletters]"))
                .getText()
                .contains("The corner is ours again (demo)"));
        logOut();

        // the team: a training by the point of contact, a site visit by national staff
        logIn("chicago-poc");
        browser.get(console + "#/sites/chicago/team");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("training-attendedOn")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("training-training")))
                .selectByValue("second");
        browser.findElement(By.id("training-attendedOn")).sendKeys(chicagoDay(0));
        browser.findElement(By.cssSelector("form[data-test=training] button")).click();
        awaitNotice("Training recorded.");
        // the SWOT's headings spelled, and an error said once: a member with no name is refused by field
        String swot = browser.findElement(By.cssSelector("[data-test=swot]")).getText();
        assertTrue(swot, swot.contains("Weaknesses") && swot.contains("Opportunities"));
        fill("new-member-agency", "Outreach (demo)");
        browser.findElement(By.cssSelector("form[data-test=new-member] button")).click();
        awaitNotice("name");
        String refusal = notice();
        // each field's reason once: the list, not the detail repeating it ("..., field 'name': is required")
        assertEquals(refusal, refusal.indexOf("name: is required"), refusal.lastIndexOf("name: is required"));
        assertFalse(refusal, refusal.contains("field 'name'"));
        // a member who leaves: asked first, and the day is the site's today, whatever the browser's zone
        fill("new-member-name", "Outreach worker (demo)");
        browser.findElement(By.id("new-member-startedOn")).sendKeys(chicagoDay(-30));
        browser.findElement(By.cssSelector("form[data-test=new-member] button")).click();
        awaitNotice("Outreach worker (demo) added to the team.");
        WebElement member = await(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//table[@data-test='members']//tr[td[1][starts-with(., 'Outreach worker (demo)')]]")));
        member.findElement(By.cssSelector("[data-test=left-team]")).click();
        org.openqa.selenium.Alert confirm =
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
        assertTrue(
                confirm.getText(),
                confirm.getText()
                        .contains(java.time.LocalDate.now(java.time.ZoneId.of("America/Chicago"))
                                .toString()));
        confirm.accept();
        awaitNotice("Outreach worker (demo) left the team.");
        WebElement left = await(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//table[@data-test='members']//tr[td[1][starts-with(., 'Outreach worker (demo)')]]")));
        assertTrue(
                left.getText(),
                left.getText().contains("– " + java.time.LocalDate.now(java.time.ZoneId.of("America/Chicago"))));
        logOut();
        logIn("demo-tta-staff");
        browser.get(console + "#/sites/chicago/team");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("visit-visitor")));
        browser.findElement(By.id("visit-visitedOn")).sendKeys(chicagoDay(0));
        fill("visit-visitor", "TTA coach (demo)");
        fill("visit-purpose", "call-in rehearsal");
        browser.findElement(By.cssSelector("form[data-test=visit] button")).click();
        awaitNotice("Site visit recorded.");
        assertTrue(browser.findElement(By.cssSelector("table[data-test=visits]"))
                .getText()
                .contains("TTA coach (demo)"));
        logOut();
    }

    /** axe-core's rules, from Deque's distribution on the test class path. */
    private static String axe() throws IOException {
        try (java.io.InputStream in = ConsoleBrowserIT.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            assertTrue("axe.min.js is on the test class path", in != null);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The page once the console has drawn it: its main part filled and no request under way for a moment. */
    private static void settled() {
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript("const m = document.getElementById('main');"
                                + " return document.readyState === 'complete' && (!m || m.children.length > 0)"));
        sleep(700);
    }

    /** Pages checked against WCAG 2.1 AA by axe-core's rules, each page's violations kept under its name. */
    private static final class Accessibility {
        final String axe;
        private final Map<String, List<String>> found = new java.util.TreeMap<>();

        Accessibility() throws IOException {
            axe = axe();
        }

        void check(String page) {
            settled();
            List<String> v = violations(axe);
            if (!v.isEmpty()) {
                found.put(page, v);
            }
        }

        void assertNoViolations() {
            assertTrue(
                    found.entrySet().stream()
                            .map(e -> e.getKey() + ":\n  " + String.join("\n  ", e.getValue()))
                            .collect(Collectors.joining("\n")),
                    found.isEmpty());
        }
    }

    /** WCAG 2.1 A and AA violations on the page as axe-core finds them: rule, impact, help and where. */
    @SuppressWarnings("unchecked")
    private static List<String> violations(String axe) {
        org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser;
        js.executeScript(axe);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return (List<String>) js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',"
                + " 'wcag21aa'] } }).then((r) => done(r.violations.map((v) => v.id + ' (' + v.impact + '): '"
                + " + v.help + ' at ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | '))),"
                + " (e) => done(['axe did not run: ' + e]));");
    }

    /** Every page of the console, as the roles that use it, meets WCAG 2.1 AA by axe-core's rules. */
    @Test
    public void everyPageMeetsWcag21AA() throws IOException {
        Accessibility pages = new Accessibility();
        java.util.function.Consumer<String> check = pages::check;
        browser.get(console);
        await(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        // the check itself can fail: a picture without a text is found
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("const i = document.createElement('img'); i.id = 'probe';"
                        + " i.src = '/console/favicon.svg'; document.body.append(i);");
        List<String> probe = violations(pages.axe);
        assertTrue(probe.toString(), probe.stream().anyMatch(v -> v.startsWith("image-alt (critical)")));
        browser.get(console + "#/login");
        browser.navigate().refresh();
        await(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        check.accept("log-in");

        logIn("chicago-poc");
        browser.get(console + "#/sites");
        check.accept("sites");
        String market = intervention("Past market (demo)");
        browser.get(console + "#/sites/chicago");
        check.accept("site");
        for (String tab : List.of(
                "checklist", "areas", "persons", "call-in", "community", "timeline", "process", "outcome", "debrief")) {
            browser.get(market + "/" + tab);
            check.accept("intervention " + tab);
        }
        for (String page : List.of("team", "records", "map", "directory", "follow-ups")) {
            browser.get(console + "#/sites/chicago/" + page);
            check.accept(page);
        }
        logOut();

        // the live demo market has the dealer list, a banked case and letters
        logIn("chicago-police");
        String live = intervention("Demo market (demo)");
        for (String tab : List.of("cases", "call-in", "persons")) {
            browser.get(live + "/" + tab);
            check.accept("live intervention " + tab);
        }
        WebElement person = await(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-test=persons] tbody tr td a")));
        person.click();
        check.accept("person");
        logOut();

        logIn("demo-tta-staff");
        browser.get(console + "#/overview");
        check.accept("overview");
        browser.get(console + "#/sites/chicago/setup");
        check.accept("records set-up");
        logOut();

        logIn("demo-tta-admin");
        browser.get(console + "#/provision");
        check.accept("new site");
        browser.get(console + "#/account");
        check.accept("account");
        browser.get(console + "#/addons");
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[data-test=addon-change] button")))
                .click();
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=addon-plan] h2")));
        check.accept("add-ons with a plan");
        browser.get(console + "#/sites/chicago/addons");
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-test=site-addons]")));
        check.accept("a site's add-ons");
        logOut();

        pages.assertNoViolations();
    }

    /**
     * National staff publish a call-in script to every site; Chicago's point of contact adopts and adapts it; a second
     * national version is published; the point of contact sees it is newer, with its note, reads what changed and takes
     * it in. Each page meets WCAG 2.1 AA by axe-core's rules. (A call-in script: a letter template adopted here would
     * change the letters the other tests make.)
     */
    @Test
    public void ttaPublishesASiteAdoptsAdaptsAndTakesInTheNewerVersion() throws IOException {
        Accessibility pages = new Accessibility();
        java.util.function.Consumer<String> check = pages::check;
        String title = "Call-in script (browser " + System.nanoTime() % 100000 + ")";
        logIn("demo-tta-staff");
        await(ExpectedConditions.elementToBeClickable(By.linkText("Materials"))).click();
        await(ExpectedConditions.visibilityOfElementLocated(By.id("publish-material-title")));
        check.accept("materials");
        fill("publish-material-title", title);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("publish-material-kind")))
                .selectByValue("call-in-script");
        fill("publish-material-note", "the run of the call-in");
        fill("publish-material-content", "Welcome (the chief)\nThe community speaks\nServices on offer\nJob training");
        browser.findElement(By.cssSelector("[data-test=publish-material] button[type=submit]"))
                .click();
        assertEquals(
                title,
                await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=material-title]")))
                        .getText());
        assertEquals(
                "in force, v1",
                browser.findElement(By.cssSelector("[data-test=material-state]"))
                        .getText());
        String material = browser.getCurrentUrl().replaceAll(".*#/materials/", "");
        check.accept("material");
        logOut();

        logIn("chicago-poc");
        browser.get(console + "#/sites/chicago");
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=materials-link]")))
                .click();
        WebElement row = await(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("table[data-test=site-materials] tr[data-material='" + material + "']")));
        assertTrue(row.getText(), row.getText().contains("Not adopted"));
        // the demo's own call-in script: adopted as v1, then the TTA team published v2
        String demo = browser.findElement(By.cssSelector("table[data-test=site-materials]"))
                .getText();
        assertTrue(
                demo,
                demo.contains("Call-in script (demo)")
                        && demo.contains("Copy 1 is based on national v1; v2 published")
                        && demo.contains("each candidate leaves with an appointment"));
        assertTrue(demo, demo.contains("Step 1 crime mapping guide (demo)"));
        check.accept("site materials");
        row.findElement(By.cssSelector("[data-test=material-link]")).click();
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=adopt]")))
                .click();
        awaitNotice("adopted");
        WebElement text = await(ExpectedConditions.visibilityOfElementLocated(By.id("adapt-content")));
        text.sendKeys("\nClosing (the prosecutor)");
        fill("adapt-note", "our closing");
        browser.findElement(By.cssSelector("[data-test=adapt] button[type=submit]"))
                .click();
        awaitNotice("Copy 2 saved");
        assertTrue(await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=material-state]")))
                .getText()
                .contains("adapted"));
        check.accept("site material");
        logOut();

        logIn("demo-tta-staff");
        browser.get(console + "#/materials/" + material);
        WebElement next = await(ExpectedConditions.visibilityOfElementLocated(By.id("new-version-content")));
        next.sendKeys("\nHousing");
        fill("new-version-note", "housing on offer");
        browser.findElement(By.cssSelector("[data-test=new-version] button[type=submit]"))
                .click();
        awaitNotice("Version 2 published");
        String sites = await(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("table[data-test=material-sites] tr[data-site=chicago]")))
                .getText();
        assertTrue(sites, sites.contains("national newer") && sites.contains("copy 2, based on v1, adapted"));
        logOut();

        logIn("chicago-poc");
        browser.get(console + "#/sites/chicago/materials/" + material);
        String state = await(
                        ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=material-state]")))
                .getText();
        assertTrue(state, state.contains("based on national v1; v2 published") && state.contains("housing on offer"));
        browser.findElement(By.cssSelector("[data-test=compare-national]")).click();
        WebElement added = await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("table[data-test=diff] tr[data-change=added]")));
        assertTrue(added.getText(), added.getText().contains("Housing"));
        check.accept("compare");
        browser.findElement(By.cssSelector("[data-test=adopt]")).click();
        awaitNotice("taken in");
        assertEquals(
                3,
                await(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table[data-test=copies] tbody tr"), 3))
                        .size());
        assertTrue(browser.findElement(By.cssSelector("[data-test=material-state]"))
                .getText()
                .contains("the latest"));
        logOut();
        pages.assertNoViolations();
    }

    @Test
    public void anAccountSetsUpItsSecondFactorAndTheNextLogInAsksForTheCode() {
        String user = "denver-research";
        logIn(user);
        browser.get(console + "#/account");
        // setting it up takes the current password
        await(ExpectedConditions.visibilityOfElementLocated(By.id("setup-password")))
                .sendKeys(passwords.get(user));
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=second-factor] button")))
                .click();
        WebElement qr = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("img.qr")));
        assertTrue(qr.getAttribute("src").startsWith("data:image/png;base64,"));
        assertEquals(
                "the QR code is drawn under the console's CSP",
                Boolean.TRUE,
                ((org.openqa.selenium.JavascriptExecutor) browser)
                        .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", qr));
        String secret = browser.findElement(By.cssSelector("[data-test=totp-secret]"))
                .getText()
                .replace(" ", "");
        browser.findElement(By.id("first-code")).sendKeys(Http.code(user, secret));
        browser.findElement(By.xpath("//button[text()='Confirm']")).click();
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=second-factor-state]"), "On since"));
        logOut();

        browser.get(console);
        await(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(passwords.get(user));
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement code = await(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        assertEquals("one-time-code", code.getAttribute("autocomplete"));
        assertEquals("numeric", code.getAttribute("inputmode"));
        assertTrue(
                "no session before the code",
                browser.findElements(By.cssSelector("[data-test=who]")).isEmpty());
        code.sendKeys(Http.code(user, secret));
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=who]")));

        // as the demo made it again: turned off with the password and a code
        browser.get(console + "#/account");
        await(ExpectedConditions.visibilityOfElementLocated(By.id("off-password")))
                .sendKeys(passwords.get(user));
        browser.findElement(By.id("off-code")).sendKeys(Http.code(user, secret));
        browser.findElement(By.xpath("//button[text()='Turn off']")).click();
        await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-test=second-factor-state]"), "Off."));
        logOut();
    }

    @Test
    public void wrongPasswordIsRefusedWithAMessage() {
        browser.get(console);
        await(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("chicago-police");
        browser.findElement(By.id("password")).sendKeys("not the password at all");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement notice = await(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
        assertTrue(
                notice.getText(),
                notice.getText().startsWith("The user name or password is wrong, or the account is locked"));
        assertTrue(browser.findElements(By.cssSelector("[data-test=who]")).isEmpty());
    }
}
