package live.cascade.api;

import live.cascade.api.config.CascadeConfig;
import live.cascade.api.config.ConfigException;
import live.cascade.api.config.ConfigLoader;
import live.cascade.api.ops.HangupReload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one Cascade Live node: {@code java -jar cascade-live.jar [--setting value ...]}. */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) {
        live.cascade.sfu.engine.NettyDefaults.apply(); // before anything loads Netty
        if (args.length > 0 && args[0].equals("storage")) {
            System.exit(StorageCommand.run(args, System.getenv(), System.out, System.err));
            return;
        }
        CascadeConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
        } catch (ConfigLoader.HelpRequested h) {
            System.out.print(ConfigLoader.usage());
            return;
        } catch (ConfigException e) {
            System.err.println("cascade: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(ServerMain.class);
        long t0 = System.nanoTime();
        CascadeServer server;
        try {
            server = CascadeServer.start(config);
        } catch (CascadeServer.StartupException e) {
            System.err.println("cascade: " + e.getMessage());
            System.exit(1);
            return;
        }
        // SIGTERM/SIGINT: let in-flight requests finish, then close the database, then exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            server.close();
        }, "shutdown"));
        // SIGHUP: read --tls-cert/--tls-key again without a restart (replaces the JVM's exit-on-hang-up).
        HangupReload.install(server::reloadTls);
        log.info("Cascade Live {} ready in {} ms", CascadeServer.version(), (System.nanoTime() - t0) / 1_000_000);
        System.out.println("Cascade Live is running: open " + server.baseUrl() + "/");
    }
}
