package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.reactivepubsub.samples.web.market.MarketFeed;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A real browser on the running app: headless Chromium loads {@code /}, the page's EventSource receives the simulated
 * market through the hub, the order books and trades render and keep updating, and the panel of the hub's meters
 * (read by the page from {@code /actuator/metrics}) shows a publish rate and this page's subscriber. Leaves a
 * screenshot in {@code target/market-page.png}. Skipped only when the {@code chromium} binary is absent, and never with
 * {@code CI=true}: there a missing browser fails the test ({@code .ci/run} installs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MarketPageIT {

    static final Path SCREENSHOT = Path.of("target", "market-page.png");

    /** What a person sees, as JSON: both books' price columns, the trades, the counters, the hub's meters panel. */
    private static final String PAGE_STATE = """
            !document.getElementById('book-ETF') ? JSON.stringify({loaded: false, books: []}) : JSON.stringify({
              loaded: true,
              status: document.getElementById('status').textContent,
              transport: document.getElementById('transport').textContent,
              rate: Number(document.getElementById('rate').textContent),
              total: Number(document.getElementById('total').textContent),
              other: Number(document.getElementById('total').dataset.other),
              tradeMessages: Number(document.getElementById('trades').dataset.messages),
              trades: Array.from(document.querySelectorAll('#trade-rows tr'), tr => tr.textContent),
              hub: {
                publishedRate: document.getElementById('hub-published-rate').textContent,
                deliveredRate: document.getElementById('hub-delivered-rate').textContent,
                dropped: document.getElementById('hub-dropped').textContent,
                subscribers: document.getElementById('hub-subscribers').textContent
              },
              books: ['FUTURE', 'ETF'].map(instrument => {
                const book = document.getElementById('book-' + instrument);
                const texts = selector => Array.from(book.querySelectorAll(selector), td => td.textContent);
                return {
                  instrument: instrument,
                  title: book.querySelector('h2').textContent,
                  sequence: Number(book.dataset.sequence),
                  updates: Number(book.dataset.updates),
                  asks: texts('tr.ask td.price'),
                  askVolumes: texts('tr.ask td.vol.ask'),
                  bids: texts('tr.bid td.price'),
                  bidVolumes: texts('tr.bid td.vol.bid'),
                  mid: book.querySelector('.mid').textContent
                };
              })
            })""";

    @LocalServerPort
    int port;

    @Autowired
    MarketFeed feed;

    private static boolean booksRendered(JsonNode state) {
        if (state.get("books").size() != 2) {
            return false; // still loading
        }
        for (JsonNode book : state.get("books")) {
            if (book.get("asks").size() != 5 || book.get("bids").size() != 5) {
                return false;
            }
        }
        return true;
    }

    private static List<BigDecimal> prices(JsonNode column) {
        List<BigDecimal> prices = new ArrayList<>();
        column.forEach(cell -> {
            assertThat(cell.asString()).matches("\\d+\\.\\d{2}");
            prices.add(new BigDecimal(cell.asString()));
        });
        return prices;
    }

    /**
     * The page's counter counts what the page received: every message is a book update, a trades message or
     * neither, and the three add up to the counter at any moment (the page updates all of them per message).
     */
    private static void assertCounterConsistent(JsonNode state) {
        long updates = 0;
        for (JsonNode book : state.get("books")) {
            updates += book.get("updates").asLong();
        }
        assertThat(state.get("total").asLong()).as("messages counter = book updates + trades messages + other (%s)",
                state).isEqualTo(updates + state.get("tradeMessages").asLong() + state.get("other").asLong());
    }

    private static long updates(JsonNode state, int book) {
        return state.get("books").get(book).get("updates").asLong();
    }

    private static long sequence(JsonNode state, int book) {
        return state.get("books").get(book).get("sequence").asLong();
    }

    /** @return the text of a cell of the hub's meters panel ({@code –} until the page has read the meters) */
    private static String hubCell(JsonNode state, String cell) {
        return state.get("hub").get(cell).asString();
    }

    private static boolean positiveInteger(String text) {
        return text.matches("[1-9][0-9]*");
    }

    @Test
    void pageShowsBothOrderBooksUpdatingWithTradesAndRate() throws Exception {
        if (!HeadlessChromium.available()) {
            String missing = "no browser at " + HeadlessChromium.BINARY
                    + ": install the Debian package 'chromium' (.ci/run does) to run the page test";
            assertThat(System.getenv("CI")).as(missing).isNotEqualToIgnoringCase("true");
            assumeTrue(false, missing);
        }
        Files.deleteIfExists(SCREENSHOT);
        try (HeadlessChromium browser = HeadlessChromium.open("http://localhost:" + port + "/", 1280, 820,
                Path.of("target", "chromium.log"))) {
            JsonNode first = browser.awaitJson(PAGE_STATE, MarketPageIT::booksRendered, Duration.ofSeconds(30));

            assertThat(first.get("status").asString()).isEqualTo("live");
            assertCounterConsistent(first);
            for (JsonNode book : first.get("books")) {
                String instrument = book.get("instrument").asString();
                List<BigDecimal> asks = prices(book.get("asks"));
                List<BigDecimal> bids = prices(book.get("bids"));
                // a ladder: asks from the highest down to the best, then bids from the best down
                assertThat(asks).as("%s asks, top to bottom", instrument)
                        .isSortedAccordingTo(Comparator.reverseOrder());
                assertThat(bids).as("%s bids, top to bottom", instrument)
                        .isSortedAccordingTo(Comparator.reverseOrder());
                assertThat(asks.get(4)).as("%s best ask above best bid", instrument).isGreaterThan(bids.get(0));
                assertThat(book.get("askVolumes")).hasSize(5);
                assertThat(book.get("bidVolumes")).hasSize(5);
                assertThat(book.get("title").asString()).startsWith(instrument + " #" + book.get("sequence").asLong());
                assertThat(book.get("mid").asString()).startsWith("mid ").contains("spread");
                assertThat(book.get("updates").asLong()).as("%s updates", instrument).isPositive();
            }

            // both books live: ten more updates each, however long a busy machine takes (the waits are only bounds);
            // the meters panel shows a publish rate once the page has read the hub's meters twice, and this page's
            // subscriber once it has read them after the stream subscribed
            JsonNode later = browser.awaitJson(PAGE_STATE, state -> updates(state, 0) >= updates(first, 0) + 10
                            && updates(state, 1) >= updates(first, 1) + 10
                            && state.get("rate").asInt() > 0
                            && !state.get("trades").isEmpty()
                            && positiveInteger(hubCell(state, "publishedRate"))
                            && positiveInteger(hubCell(state, "subscribers")),
                    Duration.ofSeconds(60));

            assertCounterConsistent(later);
            for (int book = 0; book < 2; book++) {
                assertThat(sequence(later, book)).as("%s sequence advances", later.get("books").get(book)
                        .get("instrument")).isGreaterThan(sequence(first, book));
            }
            assertThat(later.get("books")).isNotEqualTo(first.get("books"));
            assertThat(later.get("transport").asString()).isEqualTo(feed.transport());
            assertThat(later.get("total").asLong()).isGreaterThanOrEqualTo(first.get("total").asLong() + 20);
            assertThat(later.get("rate").asLong()).isLessThanOrEqualTo(later.get("total").asLong());
            assertThat(later.get("tradeMessages").asLong()).isPositive();
            assertThat(later.get("trades").get(0).asString())
                    .containsPattern("(FUTURE|ETF)(BUY|SELL)\\d+\\.\\d{2}\\d+");
            assertThat(hubCell(later, "publishedRate")).as("hub published/s, from /actuator/metrics")
                    .matches("[1-9][0-9]*");
            assertThat(hubCell(later, "subscribers")).as("hub subscribers: this page's stream at least")
                    .matches("[1-9][0-9]*");
            assertThat(hubCell(later, "deliveredRate")).as("hub delivered/s").matches("[0-9]+");

            browser.screenshot(SCREENSHOT);
        }
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

}
