package dev.promoter.demo;

/** The demo's polling rhythm: it watches the registry and the services, it never waits blindly for long. */
final class Pause {

    static final long POLL_MILLIS = 100;

    private Pause() {
    }

    static void briefly() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted", "run ./pipeline demo again");
        }
    }
}
