package dev.linkwell.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.engine.nativeengine.RunningService;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.Browser;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.TestStorage;
import dev.linkwell.simulator.LinkedDevice;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (headless Chromium) against the whole service in demo mode: a person
 * starts a session, sees the QR (and sees it change when it rotates), has a simulated phone scan it, sees
 * the session turn ready, sends a message from another phone, closes it, opens it again without a QR, and
 * logs it out; once with the API open (then links a second session by pairing code) and once with an API
 * key the page asks for, at 360 px wide. Any
 * console error or warning of the page fails the test, except the ones a step provokes and checks.
 * Screenshots go to target/dashboard-screenshots/.
 */
class DashboardBrowserTest {

    private static final String KEY = "dashboard-admin-key-0123456789";
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    private final Path root = TestStorage.tempRoot("linkwell-dashboard");

    @BeforeEach
    void chromiumIsInstalled() {
        Browser.requireInstalled();
    }

    /**
     * Demo mode with a first QR that rotates after 4 s and then every 8 s: the test sees a rotation soon and has
     * seconds to scan the new QR before the next one, so no QR is fetched while the scan links the session.
     */
    private Map<String, Object> demo() {
        Map<String, Object> properties = RunningService.defaults(root);
        properties.put("linkwell.simulator.qr-ref-count", "6");
        properties.put("linkwell.simulator.first-ref-timeout", "4s");
        properties.put("linkwell.simulator.next-ref-timeout", "8s");
        properties.put("linkwell.native.qr-first-timeout", "4s");
        properties.put("linkwell.native.qr-next-timeout", "8s");
        properties.put("linkwell.sessions.start-wait", "10s");
        return properties;
    }

    @Test
    void aWholeSessionLifeWithTheApiOpen() {
        try (RunningService svc = RunningService.start(demo());
                Browser page = Browser.start(SCREENSHOTS)) {
            page.open(svc.api.base() + "/");
            page.awaitText("#stream", "events: live");
            assertThat(page.find("#key-panel").isDisplayed())
                    .as("no key is asked for when none is configured")
                    .isFalse();
            assertThat(page.find("#simulator").isDisplayed())
                    .as("the simulator panel in demo mode")
                    .isTrue();

            // a problem detail is shown as it is
            page.type("#start-form input[name=id]", "nope");
            page.type("#start-form input[name=provider]", "baileys");
            page.find("#start-form button[type=submit]").click();
            page.await("the 503 shown", d -> page.find("#notice").getText().contains("(503)"));
            assertThat(page.find("#notice").getText())
                    .contains("Provider not available (503): provider 'baileys' needs"); // its Node host is not set up
            // here
            assertThat(page.find("#notice").getAttribute("data-kind")).isEqualTo("error");
            assertThat(page.consoleProblems())
                    .as("the refused PUT, and nothing else")
                    .singleElement()
                    .asString()
                    .contains("/sessions/nope", "503");
            page.type("#start-form input[name=provider]", "");

            lifeOfASession(svc, page, "demo", "5511999990001", "open", true);
            pairingCodeEnteredOnASimulatedPhone(svc, page);

            // dark mode follows the system's preference
            page.prefersColorScheme("dark");
            assertThat(page.script("return getComputedStyle(document.body).backgroundColor"))
                    .isEqualTo("rgb(14, 17, 21)");
            page.screenshot("open-dark");
            page.prefersColorScheme("light");
            assertThat(page.script("return getComputedStyle(document.body).backgroundColor"))
                    .isEqualTo("rgb(244, 246, 248)");

            assertThat(page.consoleProblems())
                    .as("console errors and warnings of the page")
                    .isEmpty();
        }
    }

    @Test
    void withAnApiKeyThePageAsksForItOnceAndWorksAt360PixelsWide() {
        Map<String, Object> properties = demo();
        properties.put("linkwell.security.api-keys", KEY);
        try (RunningService svc = RunningService.start(properties);
                Browser page = Browser.start(SCREENSHOTS)) {
            page.resize(360, 780);
            page.open(svc.api.base() + "/");
            page.awaitVisible("#key-panel");
            assertThat(page.find("#app").isDisplayed()).isFalse();
            assertThat(page.script("return window.innerWidth"))
                    .as("the viewport")
                    .isEqualTo(360L);
            page.screenshot("key-asked");

            page.type("#key-input", "not-the-key-0123456789abcdef");
            page.find("#key-form button[type=submit]").click();
            page.awaitVisible("#key-error");
            assertThat(page.find("#key-error").getText()).contains("(401)", "the API key was not accepted");
            assertThat(page.consoleProblems())
                    .as("the refused GET, and nothing else")
                    .singleElement()
                    .asString()
                    .contains("/sessions", "401");

            page.type("#key-input", KEY);
            page.find("#key-form button[type=submit]").click();
            page.awaitText("#stream", "events: live");
            assertThat(page.find("#key-panel").isDisplayed()).isFalse();
            assertThat(page.script("return sessionStorage.getItem('linkwell.apiKey')"))
                    .isEqualTo(KEY);

            lifeOfASession(svc, page, "keyed", "5511999990002", "key", false);

            // the key is kept for the tab: a reload does not ask again
            page.driver().navigate().refresh();
            page.awaitText("#stream", "events: live");
            assertThat(page.find("#key-panel").isDisplayed()).isFalse();
            page.awaitText("button.session[data-id='keyed'] .status", "removed");
            page.find("#forget-key").click();
            page.awaitVisible("#key-panel");
            assertThat(page.script("return sessionStorage.getItem('linkwell.apiKey')"))
                    .isNull();
            assertThat(page.find("#stream").getText()).isEqualTo("events: off");

            assertThat(page.consoleProblems())
                    .as("console errors and warnings of the page")
                    .isEmpty();
        }
    }

    /**
     * Start, QR, rotation, scan through the simulator panel, ready, (a message), close, reopen without a QR,
     * a cancelled and a confirmed log-out.
     */
    private void lifeOfASession(
            RunningService svc, Browser page, String id, String number, String shots, boolean sendAMessage) {
        try (EventRecorder events = new EventRecorder(svc.bean(EventBus.class), id)) {
            page.type("#phone-form input[name=number]", number);
            page.find("#phone-form button[type=submit]").click();
            page.await(
                    "a simulator phone " + number,
                    d -> selected("#sim-phone", page).contains(number));

            page.type("#start-form input[name=id]", id);
            page.find("#start-form button[type=submit]").click();
            page.awaitVisible("#qr-image");
            page.awaitText("#detail-id", id);
            String first = page.await("the QR on screen", d -> qrOnScreen(page));
            assertThat(first).startsWith("https://wa.me/settings/linked_devices#");
            assertThat(qrTexts(events)).as("a QR the service issued").contains(first);
            assertThat(page.find("button.session[data-id='" + id + "'] .status").getText())
                    .isEqualTo("starting");
            assertNotWiderThanTheWindow(page);
            page.screenshot(shots + "-qr");

            // the image follows the QR as it rotates; scan the new one at once, seconds before the next rotation
            String second = page.await("the QR to rotate", d -> {
                String shown = qrOnScreen(page);
                return shown != null && !shown.equals(first) ? shown : null;
            });
            assertThat(qrTexts(events)).contains(second);
            page.find("#scan-button").click();
            awaitStatus(page, id, "ready");
            assertThat(page.find("#qr-box").isDisplayed())
                    .as("no QR once linked")
                    .isFalse();
            String jid = page.await("the account shown", d -> {
                String shown = page.find("#detail-jid").getText();
                return shown.startsWith(number + ":") ? shown : null;
            });
            svc.awaitFirstLoginDone(jid);
            assertThat(page.find("#detail-connection").getText()).isEqualTo("open");
            assertNotWiderThanTheWindow(page);
            page.screenshot(shots + "-ready");

            if (sendAMessage) {
                sendAMessageFromAnotherPhone(page, jid);
            }

            page.find("#close-button").click();
            awaitStatus(page, id, "closed");
            assertThat(page.find("#detail-reason").getText()).isEqualTo("user");

            int qrsBefore = events.of(EventType.QR).size();
            page.find("#open-button").click();
            awaitStatus(page, id, "ready");
            assertThat(page.find("#qr-box").isDisplayed())
                    .as("credentials kept: no QR")
                    .isFalse();
            assertThat(events.of(EventType.QR)).as("no QR issued on reopening").hasSize(qrsBefore);

            page.find("#remove-button").click();
            page.awaitVisible("#confirm");
            assertThat(page.find("#confirm-text").getText()).contains("'" + id + "'", "logged out");
            page.find("#confirm-no").click();
            page.await("the dialog to close", d -> !page.find("#confirm").isDisplayed());
            assertThat(Api.json(svc.api.send(HttpRequest.newBuilder(svc.api.uri("/sessions/" + id))
                            .header("X-Api-Key", KEY)
                            .build())))
                    .as("cancelled: nothing happened")
                    .containsEntry("status", "ready");

            page.find("#remove-button").click();
            page.awaitVisible("#confirm");
            page.screenshot(shots + "-confirm");
            page.find("#confirm-yes").click();
            awaitStatus(page, id, "removed");
            // the logout notice is sent before the session says removed; the server takes it on its own time
            RunningService.awaitWhile(() ->
                    svc.simulator().devices().stream().anyMatch(d -> d.jid().equals(jid)));
            assertThat(svc.simulator().devices())
                    .as("the phone dropped the linked device")
                    .extracting(LinkedDevice::jid)
                    .doesNotContain(jid);
            assertThat(Files.exists(root.resolve("sessions").resolve(id)))
                    .as("credentials deleted")
                    .isFalse();
            assertThat(page.findAll("#log li[data-type='session.removed']")).isNotEmpty();
            page.screenshot(shots + "-removed");
        }
    }

    /** The code in large type instead of a QR; the simulated phone with that number enters it. */
    private static void pairingCodeEnteredOnASimulatedPhone(RunningService svc, Browser page) {
        page.type("#phone-form input[name=number]", "5511988880000");
        page.find("#phone-form button[type=submit]").click();
        page.await(
                "a simulator phone 5511988880000",
                d -> selected("#sim-phone", page).contains("5511988880000"));
        page.type("#start-form input[name=id]", "bycode");
        page.type("#start-form input[name=phone]", "5511988880000");
        page.find("#start-form button[type=submit]").click();

        page.awaitVisible("#code-box");
        String code = (String) Api.json(svc.api.get("/sessions/bycode")).get("pairingCode");
        assertThat(code).matches("[A-Z0-9]{8}");
        assertThat(page.find("#pairing-code").getText())
                .as("in two halves")
                .isEqualTo(code.substring(0, 4) + "-" + code.substring(4));
        assertThat(((Number)
                                page.script(
                                        "return parseFloat(getComputedStyle(document.getElementById('pairing-code')).fontSize)"))
                        .doubleValue())
                .as("large type, in px")
                .isGreaterThanOrEqualTo(32);
        assertThat(page.find("#qr-box").isDisplayed()).isFalse();
        page.screenshot("open-pairing-code");

        page.find("#code-button").click();
        awaitStatus(page, "bycode", "ready");
        assertThat(page.find("#code-box").isDisplayed()).isFalse();
    }

    private static void sendAMessageFromAnotherPhone(Browser page, String jid) {
        page.type("#phone-form input[name=number]", "5511977770000");
        page.find("#phone-form button[type=submit]").click();
        page.await(
                "the second phone",
                d -> options("#message-from", page).stream().anyMatch(o -> o.contains("5511977770000")));
        Select from = new Select(page.find("#message-from"));
        from.getOptions().stream()
                .filter(o -> o.getText().contains("5511977770000"))
                .findFirst()
                .orElseThrow()
                .click();
        assertThat(new Select(page.find("#message-to")).getFirstSelectedOption().getAttribute("value"))
                .as("the selected session's device is the default recipient")
                .isEqualTo(jid);
        page.type("#message-form input[name=text]", "hello from the dashboard test");
        page.find("#message-form button[type=submit]").click();
        page.await(
                "the message in the event log",
                d -> page.findAll("#log li[data-type='session.message']").stream()
                        .anyMatch(li -> li.getText().contains("hello from the dashboard test")));
        page.screenshot("open-message");

        // the log filters by type and by text
        new Select(page.find("#log-type")).selectByValue("session.message");
        List<WebElement> shown = page.findAll("#log li");
        assertThat(shown)
                .isNotEmpty()
                .allSatisfy(li -> assertThat(li.getAttribute("data-type")).isEqualTo("session.message"));
        page.type("#log-text", "no such text anywhere");
        assertThat(page.findAll("#log li")).isEmpty();
        assertThat(page.find("#log-empty").getText()).isEqualTo("No event matches the filter.");
        page.type("#log-text", "HELLO FROM");
        assertThat(page.findAll("#log li")).hasSize(1);
        new Select(page.find("#log-type")).selectByValue("");
        page.type("#log-text", "");
        assertThat(page.findAll("#log li[data-type='session.qr']")).isNotEmpty();
    }

    /** The list entry and the detail both say it. */
    private static void awaitStatus(Browser page, String id, String status) {
        page.awaitText("button.session[data-id='" + id + "'] .status", status);
        page.awaitText("#detail-status", status);
    }

    /** The QR the image shows, read off the screen, once it is the one the page says it loaded; else null. */
    private static String qrOnScreen(Browser page) {
        String loaded = page.find("#qr-image").getAttribute("data-qr");
        if (loaded == null) {
            return null;
        }
        try {
            String read = page.readQr("#qr-image");
            return read.equals(loaded) ? read : null;
        } catch (AssertionError notYetPainted) {
            return null;
        }
    }

    private static List<String> qrTexts(EventRecorder events) {
        return events.of(EventType.QR).stream()
                .map(EventRecorder.Event::data)
                .map(d -> (String) d.get("qr"))
                .toList();
    }

    private static void assertNotWiderThanTheWindow(Browser page) {
        assertThat(page.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no horizontal scrolling")
                .isEqualTo(true);
    }

    private static String selected(String css, Browser page) {
        List<WebElement> chosen = new Select(page.find(css)).getAllSelectedOptions();
        return chosen.isEmpty() ? "" : chosen.getFirst().getText();
    }

    private static List<String> options(String css, Browser page) {
        return page.find(css).findElements(By.tagName("option")).stream()
                .map(WebElement::getText)
                .toList();
    }
}
