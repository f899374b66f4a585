package io.github.reactivepubsub.session;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The transport contract against {@link InMemoryConnections}. */
class InMemoryDuplexConnectionContractTest implements DuplexConnectionContract {

    private final List<InMemoryConnections.Pair> pairs = new ArrayList<>();

    @Override
    public Ends connect() {
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        pairs.add(pair);
        return new Ends(pair.client(), pair.server());
    }

    @AfterEach
    void disposeBothEnds() {
        pairs.forEach(pair -> {
            pair.client().dispose();
            pair.server().dispose();
        });
    }
}
