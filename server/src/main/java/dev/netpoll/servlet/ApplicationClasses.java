package dev.netpoll.servlet;

import jakarta.servlet.ServletException;

/**
 * The application's class loader: it loads the classes registered by name, and is the context
 * class loader while the lifecycle runs application code; immutable, so any thread may use it.
 */
final class ApplicationClasses {

    /** Application code the lifecycle runs: listeners, filter and servlet initialization. */
    interface Code {
        void run() throws ServletException;
    }

    private final ClassLoader loader;

    ApplicationClasses(ClassLoader loader) {
        this.loader = loader;
    }

    ClassLoader loader() {
        return loader;
    }

    /** Loads {@code className} as a subtype of {@code expected}; fails as ServletContext.addXxx(String) must. */
    <T> Class<? extends T> load(String className, Class<T> expected) {
        try {
            return Class.forName(className, true, loader).asSubclass(expected);
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("cannot load " + expected.getSimpleName() + " class " + className, e);
        }
    }

    /** A new instance by the public no-argument constructor, as ServletContext.createXxx does. */
    static <T> T instantiate(Class<T> type) throws ServletException {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ServletException("cannot instantiate " + type.getName(), e);
        }
    }

    // Listeners, filters and servlets see one context class loader, whichever thread starts the
    // server, as they do on Tomcat and Jetty (libraries look resources up through it).
    void runAsContextLoader(Code code) throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            code.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
