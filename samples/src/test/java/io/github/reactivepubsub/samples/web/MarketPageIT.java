package io.github.reactivepubsub.samples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.github.reactivepubsub.samples.web.market.MarketFeed;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A real browser on the running app: headless Chromium loads {@code /}, the page's EventSource receives the simulated
 * market through the hub, and the order books and trades render and keep updating. Leaves a screenshot in
 * {@code target/market-page.png}. Skipped only when the {@code chromium} binary is absent (CI installs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MarketPageIT {

    static final Path SCREENSHOT = Path.of("target", "market-page.png");

    /** What a person sees, as JSON: both books' price columns, the trades, the counters. */
    private static final String PAGE_STATE = """
            !document.getElementById('book-ETF') ? JSON.stringify({loaded: false, books: []}) : JSON.stringify({
              loaded: true,
              status: document.getElementById('status').textContent,
              transport: document.getElementById('transport').textContent,
              rate: Number(document.getElementById('rate').textContent),
              total: Number(document.getElementById('total').textContent),
              trades: Array.from(document.querySelectorAll('#trade-rows tr'), tr => tr.textContent),
              books: ['FUTURE', 'ETF'].map(instrument => {
                const book = document.getElementById('book-' + instrument);
                const texts = selector => Array.from(book.querySelectorAll(selector), td => td.textContent);
                return {
                  instrument: instrument,
                  title: book.querySelector('h2').textContent,
                  sequence: Number(book.dataset.sequence),
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

    @Test
    void pageShowsBothOrderBooksUpdatingWithTradesAndRate() throws Exception {
        assumeTrue(HeadlessChromium.available(), "no browser at " + HeadlessChromium.BINARY
                + ": install the Debian package 'chromium' (.ci/run does) to run the page test");
        Files.deleteIfExists(SCREENSHOT);
        try (HeadlessChromium browser = HeadlessChromium.open("http://localhost:" + port + "/", 1280, 820,
                Path.of("target", "chromium.log"))) {
            JsonNode first = browser.awaitJson(PAGE_STATE, MarketPageIT::booksRendered, Duration.ofSeconds(20));

            assertThat(first.get("status").asString()).isEqualTo("live");
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
                assertThat(book.get("title").asString()).startsWith(instrument + " #");
                assertThat(book.get("mid").asString()).startsWith("mid ").contains("spread");
            }

            long futureSequence = first.get("books").get(0).get("sequence").asLong();
            long etfSequence = first.get("books").get(1).get("sequence").asLong();
            JsonNode later = browser.awaitJson(PAGE_STATE, state -> state.get("books").get(0).get("sequence").asLong()
                            >= futureSequence + 10
                            && state.get("books").get(1).get("sequence").asLong() >= etfSequence + 10
                            && state.get("rate").asInt() > 0
                            && !state.get("trades").isEmpty(),
                    Duration.ofSeconds(20));

            assertThat(later.get("books")).isNotEqualTo(first.get("books"));
            assertThat(later.get("transport").asString()).isEqualTo(feed.transport());
            assertThat(later.get("total").asLong()).isGreaterThanOrEqualTo(20);
            assertThat(later.get("trades").get(0).asString())
                    .containsPattern("(FUTURE|ETF)(BUY|SELL)\\d+\\.\\d{2}\\d+");

            browser.screenshot(SCREENSHOT);
        }
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

}
