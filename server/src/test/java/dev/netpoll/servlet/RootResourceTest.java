package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServletContext.getResource("/") always answers the context's root, document root or not. */
class RootResourceTest {

    /** Finds nothing: no META-INF/resources/ on its class path. */
    private static final ClassLoader NOTHING_ON_THE_CLASS_PATH = new ClassLoader(null) {
    };

    @Test
    void withoutADocumentRootOrClassPathResourcesTheRootIsAnEmptyDirectory() throws Exception {
        var context = new NetpollServletContext("", NOTHING_ON_THE_CLASS_PATH);
        URL root = context.getResource("/");
        assertThat(root).isNotNull();
        File directory = new File(root.toURI());
        assertThat(directory).isDirectory().isEmptyDirectory();
        assertThat(context.getResource("/")).isEqualTo(root);
        assertThat(context.getResource("/missing.txt")).isNull();
    }

    @Test
    void withADocumentRootTheRootIsThatDirectory(@TempDir Path documentRoot) throws Exception {
        var context = new NetpollServletContext("", NOTHING_ON_THE_CLASS_PATH);
        context.setDocumentRoot(documentRoot.toFile());
        assertThat(new File(context.getResource("/").toURI())).isEqualTo(documentRoot.toFile());
    }
}
