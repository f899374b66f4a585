package io.github.reactivepubsub;

/**
 * A change in a topic's subscribers, as emitted by {@link Hub#events()} and published as a message under
 * {@code Hub.addedSubscriber.<topic>} / {@code Hub.removedSubscriber.<topic>} (aiopubsub's meta messages).
 */
public sealed interface HubEvent {

    /** @return the topic (the subscribed key or pattern) */
    Key key();

    /** @return how many subscribers the topic has after this change */
    int subscriberCount();

    /**
     * A subscriber joined a topic.
     *
     * @param key the topic
     * @param subscriberCount its subscribers after the join
     */
    record Added(Key key, int subscriberCount) implements HubEvent {
    }

    /**
     * A subscriber left a topic (cancelled, completed or failed).
     *
     * @param key the topic
     * @param subscriberCount its subscribers after the departure
     */
    record Removed(Key key, int subscriberCount) implements HubEvent {
    }
}
