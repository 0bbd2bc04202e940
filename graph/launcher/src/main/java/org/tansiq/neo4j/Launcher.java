package org.tansiq.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs the Neo4j 5.26 Community engine embedded, with a single Bolt connector on 127.0.0.1.
 *
 * <p>Options (command line first, then the system property in brackets, then the default):
 * <ul>
 *   <li>{@code --data-dir DIR} [{@code tansiq.neo4j.dataDir}] home directory of the DBMS (required);
 *       Neo4j keeps {@code data/} and {@code logs/} below it.</li>
 *   <li>{@code --port N} [{@code tansiq.neo4j.boltPort}] Bolt port, default 7687.</li>
 *   <li>{@code --pagecache SIZE} [{@code tansiq.neo4j.pagecache}] page cache size, default 256m.</li>
 *   <li>{@code --watch-stdin} [{@code tansiq.neo4j.watchStdin=true}] shut down cleanly when standard input
 *       reaches end of file, so the engine never outlives a parent process that died.</li>
 * </ul>
 * The password of user {@code neo4j} comes only from the environment variable
 * {@code TANSIQ_NEO4J_PASSWORD}, so it never shows in the process list.
 *
 * <p>Once Bolt accepts connections and the password is set, exactly one line
 * {@code TANSIQ_NEO4J_READY bolt://127.0.0.1:PORT} is written to standard output. On a start failure a
 * single line {@code TANSIQ_NEO4J_ERROR ...} goes to standard error and the exit status is 1
 * (2 for bad arguments). SIGTERM or Ctrl-C shut the DBMS down cleanly through a shutdown hook.
 *
 * <p>Run it like Neo4j's own start script does, with the module openings Neo4j needs on Java 17
 * (without them it still works, but logs warnings and cannot use some file-system optimisations):
 * {@code java -Xmx512m --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 * --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -cp 'target/classes:target/lib/*' org.tansiq.neo4j.Launcher
 * --data-dir var/neo4j}. {@code graph/local_neo4j.py} does all of this.
 */
public final class Launcher {

    static final String READY_PREFIX = "TANSIQ_NEO4J_READY ";
    static final String ERROR_PREFIX = "TANSIQ_NEO4J_ERROR ";
    static final String PASSWORD_ENV = "TANSIQ_NEO4J_PASSWORD";
    static final String HOST = "127.0.0.1";

    private Launcher() {}

    public static void main(String[] args) {
        // Keep the real stdout for the protocol line; anything else the libraries print goes to stderr,
        // so the parent reading stdout only ever sees the READY line.
        PrintStream protocolOut = System.out;
        System.setOut(System.err);

        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(ERROR_PREFIX + "bad arguments: " + e.getMessage());
            System.err.flush();
            System.exit(2);
            return;
        }

        String password = System.getenv(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            System.err.println(ERROR_PREFIX + "environment variable " + PASSWORD_ENV + " is not set");
            System.err.flush();
            System.exit(2);
            return;
        }

        Engine engine = new Engine();
        // Registered before the start, so a SIGTERM that arrives while Neo4j is starting still ends in a
        // clean shutdown (the hook waits for the start attempt to finish first).
        Runtime.getRuntime().addShutdownHook(new Thread(engine::stopAfterStartAttempt, "tansiq-neo4j-shutdown"));
        try {
            try {
                setInitialPasswordIfNew(options.dataDir, password);
                engine.service = start(options);
            } finally {
                engine.startAttempted.countDown();
            }
            setPassword(engine.service, password);
            // The initial-password file is only read while the system database is created; do not leave
            // the password hash lying around.
            Files.deleteIfExists(options.dataDir.resolve("data").resolve("dbms").resolve("auth.ini"));
            int port = boundBoltPort(engine.service, options.port);

            protocolOut.println(READY_PREFIX + "bolt://" + HOST + ":" + port);
            protocolOut.flush();

            if (options.watchStdin) {
                watchStdin();
            }
            engine.stopped.await();
            System.exit(0);
        } catch (Throwable t) {
            System.err.println(ERROR_PREFIX + rootMessage(t));
            System.err.flush();
            engine.stopOnce();
            // halt, not exit: the exit status must be 1 whatever the shutdown hook does.
            Runtime.getRuntime().halt(1);
        }
    }

    /** The running DBMS and its one-time, thread-safe shutdown. */
    private static final class Engine {
        volatile DatabaseManagementService service;
        final CountDownLatch startAttempted = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        private final AtomicBoolean stopping = new AtomicBoolean(false);

        void stopAfterStartAttempt() {
            try {
                startAttempted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopOnce();
        }

        void stopOnce() {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            try {
                DatabaseManagementService current = service;
                if (current != null) {
                    current.shutdown();
                }
            } catch (Throwable e) {
                System.err.println(ERROR_PREFIX + "error during shutdown: " + rootMessage(e));
            } finally {
                stopped.countDown();
            }
        }
    }

    /** Builds and starts the DBMS; returns once every connector is listening. */
    static DatabaseManagementService start(Options options) throws IOException {
        Files.createDirectories(options.dataDir);
        Map<org.neo4j.graphdb.config.Setting<?>, Object> settings = Map.ofEntries(
                // Network: Bolt on loopback only, nothing else listening.
                Map.entry(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST)),
                Map.entry(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST)),
                Map.entry(BoltConnector.enabled, true),
                Map.entry(BoltConnector.listen_address, new SocketAddress(HOST, options.port)),
                Map.entry(BoltConnector.advertised_address, new SocketAddress(HOST, options.port)),
                Map.entry(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED),
                Map.entry(HttpConnector.enabled, false),
                Map.entry(HttpsConnector.enabled, false),
                // Server-side routing would open a second listener on 7688; a single instance needs none.
                Map.entry(GraphDatabaseSettings.routing_enabled, false),
                // Security.
                Map.entry(GraphDatabaseSettings.auth_enabled, true),
                // Bounded resources.
                Map.entry(GraphDatabaseSettings.pagecache_memory, SettingValueParsers.BYTES.parse(options.pagecache)),
                Map.entry(GraphDatabaseSettings.keep_logical_logs, "1 days 64M"),
                Map.entry(GraphDatabaseSettings.logical_log_rotation_threshold, SettingValueParsers.BYTES.parse("16M")),
                Map.entry(GraphDatabaseSettings.preallocate_logical_logs, false),
                // No usage data reporting (dbms.usage_report.enabled) nor driver telemetry collection.
                Map.entry(GraphDatabaseSettings.udc_enabled, false),
                Map.entry(BoltConnector.server_bolt_telemetry_enabled, false),
                // Fast clean stop: by default Netty waits a 5 s "quiet period" on each of the two Bolt event
                // loop groups after every connection is already closed, adding ~10 s to each shutdown.
                // (Internal setting: internal.dbms.bolt.netty_server_shutdown_quiet_period, in seconds.)
                Map.entry(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0));

        return new DatabaseManagementServiceBuilder(options.dataDir).setConfig(settings).build();
    }

    /**
     * On a brand new DBMS (no system database yet), records the initial password of user neo4j exactly as
     * {@code neo4j-admin dbms set-initial-password} does (same command class, run in-process so the password
     * never appears in a process list). Without this, the first start would briefly accept the well-known
     * default credentials neo4j/neo4j on Bolt, before {@link #setPassword} runs.
     */
    static void setInitialPasswordIfNew(Path home, String password) throws IOException {
        if (Files.exists(home.resolve("data").resolve("databases").resolve(GraphDatabaseSettings.SYSTEM_DATABASE_NAME))) {
            return;
        }
        Files.createDirectories(home);
        ExecutionContext context = new ExecutionContext(
                home, home.resolve("conf"), System.err, System.err, new DefaultFileSystemAbstraction());
        SetInitialPasswordCommand command = new SetInitialPasswordCommand(context);
        // The password goes into the command's model, never through picocli's argument parser: there a
        // value starting with '-' reads as an option (exit status 64) and one starting with '@' as a file.
        picocli.CommandLine.Model.CommandSpec spec = new picocli.CommandLine(command).getCommandSpec();
        if (spec.positionalParameters().size() != 1) {
            throw new IllegalStateException("unexpected parameters of neo4j-admin dbms set-initial-password: "
                    + spec.positionalParameters().size() + " positional parameters, expected only the password");
        }
        spec.positionalParameters().get(0).setValue(password);
        int status;
        try {
            status = command.call();
        } catch (Exception e) {
            throw new IllegalStateException("could not set the initial password of user neo4j: " + rootMessage(e), e);
        }
        if (status != 0) {
            throw new IllegalStateException("could not set the initial password of user neo4j (status " + status + ")");
        }
    }

    /**
     * Sets the password of user neo4j through the supported administration command, run on the system
     * database with the embedded API (which runs with full privileges, without a Bolt login).
     */
    static void setPassword(DatabaseManagementService service, String password) {
        GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the value it already has. That is the normal case on
            // every restart with the same password: only the change-required flag may still need clearing.
            if (!rootMessage(e).contains("Old password and new password cannot be the same")) {
                throw e;
            }
            System.err.println("TANSIQ_NEO4J password of user neo4j already up to date");
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    /** Port the Bolt connector really listens on, as registered by Neo4j itself. */
    static int boundBoltPort(DatabaseManagementService service, int requested) {
        GraphDatabaseAPI db = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        HostnamePort address = db.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (address == null) {
            throw new IllegalStateException("the Bolt connector did not start on " + HOST + ":" + requested);
        }
        return address.getPort();
    }

    /** Exits (running the shutdown hook) once standard input is closed: the parent went away. */
    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // Input is ignored; only end of file matters.
                }
            } catch (IOException ignored) {
                // A broken stdin means the same thing as end of file.
            }
            System.err.println("TANSIQ_NEO4J standard input closed, shutting down");
            System.exit(0); // runs the shutdown hook, which shuts the DBMS down cleanly
        }, "tansiq-neo4j-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The messages of an exception and its causes, on one line. */
    static String rootMessage(Throwable t) {
        StringBuilder text = new StringBuilder();
        Throwable current = t;
        String last = null;
        while (current != null) {
            String message = current.getMessage();
            if (message != null && !message.equals(last)) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message);
                last = message;
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        if (text.length() == 0) {
            text.append(t.getClass().getName());
        }
        return text.toString().replaceAll("\\s+", " ").trim();
    }

    /** Parsed command line options, with system property fallbacks. */
    static final class Options {
        Path dataDir;
        int port;
        String pagecache;
        boolean watchStdin;

        static Options parse(String[] args) {
            Options options = new Options();
            String dataDir = System.getProperty("tansiq.neo4j.dataDir");
            String port = System.getProperty("tansiq.neo4j.boltPort", "7687");
            options.pagecache = System.getProperty("tansiq.neo4j.pagecache", "256m");
            options.watchStdin = Boolean.getBoolean("tansiq.neo4j.watchStdin");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data-dir" -> dataDir = value(args, ++i);
                    case "--port" -> port = value(args, ++i);
                    case "--pagecache" -> options.pagecache = value(args, ++i);
                    case "--watch-stdin" -> options.watchStdin = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (expected --data-dir DIR, --port N, --pagecache SIZE, --watch-stdin)");
                }
            }
            if (dataDir == null || dataDir.isBlank()) {
                throw new IllegalArgumentException("--data-dir (or -Dtansiq.neo4j.dataDir) is required");
            }
            options.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
            try {
                options.port = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port is not a number: " + port);
            }
            if (options.port < 1 || options.port > 65535) {
                throw new IllegalArgumentException("port out of range: " + options.port);
            }
            try {
                SettingValueParsers.BYTES.parse(options.pagecache);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad page cache size " + options.pagecache + ": " + e.getMessage());
            }
            return options;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }
}
