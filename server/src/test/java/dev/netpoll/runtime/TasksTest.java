package dev.netpoll.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TasksTest {

    /**
     * Spring Boot's launcher runs the application, and so starts the server, on a thread whose
     * context class loader is the application's; a connection's task (started by an accept loop,
     * itself a task) must see the same one, or lookups through it in a request fail.
     */
    @Test
    void aTaskAndTheTasksItStartsSeeTheStartersContextClassLoader() throws Exception {
        var tasks = new Tasks("tasks-test-");
        var application = new URLClassLoader("application", new URL[0], TasksTest.class.getClassLoader());
        var seen = new CompletableFuture<ClassLoader>();
        Thread starter = new Thread(() -> tasks.start(() -> tasks.start(
                () -> seen.complete(Thread.currentThread().getContextClassLoader()))));
        starter.setContextClassLoader(application);
        starter.start();
        starter.join();
        assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(application);
    }

    @Test
    void aTaskIsCountedWhileItRuns() throws Exception {
        var tasks = new Tasks("tasks-test-");
        var release = new CompletableFuture<Void>();
        Thread task = tasks.start(release::join);
        assertThat(tasks.live()).isEqualTo(1);
        assertThat(tasks.threads()).containsExactly(task);
        release.complete(null);
        task.join();
        assertThat(tasks.live()).isZero();
        assertThat(tasks.threads()).isEmpty();
    }
}
