package dev.netpoll.poll;

class NioTransportTest extends TransportContract {

    @Override
    String transportName() {
        return "nio";
    }

    /** The JDK's own poller threads (read and write pollers, and the one for timed parks). */
    @Override
    int pollingThreads(Transport transport) {
        return 3;
    }
}
