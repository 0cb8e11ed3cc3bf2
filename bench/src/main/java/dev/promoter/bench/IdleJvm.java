package dev.promoter.bench;

/** A JVM that does nothing, started with the services' JVM options: the floor of a service's resident memory. */
public final class IdleJvm {

    private IdleJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "30000"));
    }
}
