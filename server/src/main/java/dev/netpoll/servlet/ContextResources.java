package dev.netpoll.servlet;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the context's resources come from, the document root first and then
 * {@code META-INF/resources/} on the class path: the root is set while the server is built, before
 * request tasks read it; the empty stand-in root is made once, under this object's lock.
 */
final class ContextResources {

    private final ClassLoader classLoader;
    private File documentRoot;
    // What find("/") answers with no document root and nothing at META-INF/resources/: an empty
    // directory, made on first use (Tomcat and Jetty make a temporary docbase for the same
    // reason). Guarded by this.
    private File emptyRoot;

    ContextResources(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    void setDocumentRoot(File root) {
        documentRoot = root;
    }

    /** ServletContext.getResourcePaths: the entries of a directory of the document root. */
    Set<String> paths(String path) {
        if (documentRoot == null || path == null || !path.startsWith("/")) {
            return null;
        }
        File dir = new File(documentRoot, path);
        String[] names = dir.list();
        if (names == null) {
            return null;
        }
        Set<String> paths = new TreeSet<>();
        String base = path.endsWith("/") ? path : path + "/";
        for (String name : names) {
            paths.add(base + name + (new File(dir, name).isDirectory() ? "/" : ""));
        }
        return paths;
    }

    /** ServletContext.getResource: null for a path that climbs out with "..", or that is nowhere. */
    URL find(String path) throws MalformedURLException {
        if (path == null || !path.startsWith("/")) {
            throw new MalformedURLException("resource path must start with '/': " + path);
        }
        if (path.contains("/../") || path.endsWith("/..")) {
            return null;
        }
        if (documentRoot != null) {
            File file = new File(documentRoot, path);
            if (file.exists()) {
                return file.toURI().toURL();
            }
        }
        URL resource = classLoader.getResource("META-INF/resources" + path);
        if (resource == null && path.equals("/")) {
            // The root always exists (Boot's contract, Tomcat, Jetty): frameworks resolve relative resources from it.
            return emptyRoot().toURI().toURL();
        }
        return resource;
    }

    private synchronized File emptyRoot() {
        if (emptyRoot == null) {
            try {
                File dir = Files.createTempDirectory("netpoll-docbase.").toFile();
                dir.deleteOnExit();
                emptyRoot = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the empty document root", e);
            }
        }
        return emptyRoot;
    }

    /** ServletContext.getResourceAsStream: null where {@link #find} finds nothing or it cannot be read. */
    InputStream open(String path) {
        try {
            URL url = find(path);
            return url == null ? null : url.openStream();
        } catch (IOException e) {
            return null;
        }
    }

    /** ServletContext.getRealPath: a file under the document root, or null without one. */
    String realPath(String path) {
        if (documentRoot == null || path == null) {
            return null;
        }
        return new File(documentRoot, path).getAbsolutePath();
    }
}
