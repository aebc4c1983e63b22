package org.ptorder.notebook;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel the way its own main does, except that no channel reads a message
 * before the kernel's handlers are installed (see {@link LoopThread}). Argument: the connection
 * file Jupyter wrote.
 */
public final class KernelMain {
    private KernelMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter starts it through kernel.json)");
            System.exit(2);
        }
        try (InputStream logging = MainApp.class.getClassLoader().getResourceAsStream("logging.properties")) {
            if (logging != null) {
                LogManager.getLogManager().readConfiguration(logging);
            }
        }
        ConnectionProperties props = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        // MainApp.kernel is the instance the notebook's display() calls reach: use that one.
        var kernel = MainApp.kernel;
        Channels channels = new Channels(props);
        LoopThread.holdAll();
        channels.connect(kernel);
        LoopThread.releaseAll();
        channels.joinUntilClose();
    }
}
