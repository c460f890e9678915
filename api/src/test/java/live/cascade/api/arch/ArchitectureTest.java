package live.cascade.api.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The dependency rules of ARCHITECTURE.md §2, checked over every module's main classes. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        // Test classes are not the product: those of this module's test-classes directory, and those of the sfu test-jar
        // (which `mvn verify` puts on the class path as a jar, where DO_NOT_INCLUDE_TESTS does not recognise them).
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("live.cascade");
    }

    @Test
    void sfuKnowsNothingOfSdpHttpSqlRedisOrFfmpeg() {
        noClasses().that().resideInAPackage("live.cascade.sfu..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "live.cascade.signaling..", "live.cascade.whipwhep..", "live.cascade.hls..", "live.cascade.api..", "live.cascade.db..",
                        "io.javalin..", "org.jooq..", "org.flywaydb..", "java.sql..", "org.redisson..", "org.bytedeco..")
                .check(classes);
    }

    @Test
    void signalingNeverImportsJavalinOrHigherModules() {
        noClasses().that().resideInAPackage("live.cascade.signaling..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "live.cascade.whipwhep..", "live.cascade.api..", "live.cascade.db..", "live.cascade.hls..",
                        "org.jooq..", "org.redisson..", "org.bytedeco..", "io.netty..")
                .check(classes);
    }

    /**
     * Signaling sees the media plane through its facade (MediaEngine, MediaLane, HostedRouter, TransportControl), the
     * parameter records and the router's own types; never a worker, a transport's insides or the crypto under them.
     */
    @Test
    void signalingSeesTheMediaPlaneOnlyThroughItsFacade() {
        noClasses().that().resideInAPackage("live.cascade.signaling..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "live.cascade.sfu.net..", "live.cascade.sfu.dtls..", "live.cascade.sfu.srtp..", "live.cascade.sfu.ice..")
                .because("signaling reaches workers and transports through sfu.engine's MediaLane and sfu.transport's TransportControl")
                .check(classes);
    }

    /** Routers are made and ticked by the lane that hosts them (MediaLane.hostRouter), so their clock stays in sfu. */
    @Test
    void onlyTheMediaPlaneMakesAndTicksRouters() {
        noClasses().that().resideOutsideOfPackage("live.cascade.sfu..").and().resideInAPackage("live.cascade..")
                .should().callMethod("live.cascade.sfu.routing.Router", "onTick", "long")
                .orShould().callConstructorWhere(target(owner(name("live.cascade.sfu.routing.Router"))))
                .because("a router's tick lives with the lane that hosts it: MediaLane.hostRouter, closed by HostedRouter.close")
                .check(classes);
    }

    /**
     * Workers and transports are sfu.net's, reached by the rest of the node only through sfu.engine; the interfaces
     * control code holds (sfu.transport) know nothing of their implementation.
     */
    @Test
    void onlyTheEngineFacadeReachesIntoWorkersAndTransports() {
        noClasses().that().resideInAPackage("live.cascade..")
                .and().resideOutsideOfPackages("live.cascade.sfu.net..", "live.cascade.sfu.engine..")
                .should().dependOnClassesThat().resideInAPackage("live.cascade.sfu.net..")
                .check(classes);
    }

    @Test
    void onlyApiAndWhipWhepImportJavalin() {
        noClasses().that().resideOutsideOfPackages("live.cascade.api..", "live.cascade.whipwhep..")
                .and().resideInAPackage("live.cascade..")
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .check(classes);
    }

    /** Every per-IP decision sees the same client address, the one --trusted-proxies allows (ClientAddress.of). */
    @Test
    void onlyClientAddressReadsTheRequestsPeerAddress() {
        noClasses().that().doNotHaveFullyQualifiedName("live.cascade.api.http.ClientAddress")
                .should().callMethod("io.javalin.http.Context", "ip")
                .orShould().callMethod("jakarta.servlet.http.HttpServletRequest", "getRemoteAddr")
                .orShould().callMethod("jakarta.servlet.ServletRequest", "getRemoteAddr")
                .because("the client address comes from ClientAddress.of(ctx), which applies --trusted-proxies")
                .check(classes);
    }

    /**
     * Ingest (RTMP, later SRT) feeds routers as a publisher through signaling's front door (BroadcastService.publishLocal),
     * like WHIP: no HTTP, SQL or Redis, and no way around admission and the broadcast lifecycle into the media plane's
     * insides.
     */
    @Test
    void ingestReachesRoutersOnlyThroughSignaling() {
        noClasses().that().resideInAPackage("live.cascade.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "live.cascade.whipwhep..", "live.cascade.api..", "live.cascade.db..", "live.cascade.hls..",
                        "org.jooq..", "org.redisson..", "java.sql..",
                        "live.cascade.sfu.net..", "live.cascade.sfu.routing..", "live.cascade.sfu.receive..")
                .check(classes);
    }

    @Test
    void onlyDbImportsJooqAndFlyway() {
        noClasses().that().resideOutsideOfPackage("live.cascade.db..").and().resideInAPackage("live.cascade..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "org.flywaydb..")
                .check(classes);
    }

    /** ARCHITECTURE.md §7: ingest transcodes RTMP's AAC to Opus in process, so it may import Bytedeco too. */
    @Test
    void onlyHlsFallbackAndIngestImportBytedeco() {
        noClasses().that().resideOutsideOfPackages("live.cascade.hls..", "live.cascade.ingest..").and().resideInAPackage("live.cascade..")
                .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .check(classes);
    }

    @Test
    void onlyRedisPackagesImportRedisson() {
        noClasses().that().resideOutsideOfPackage("..redis..").and().resideInAPackage("live.cascade..")
                .should().dependOnClassesThat().resideInAPackage("org.redisson..")
                .check(classes);
    }

    @Test
    void onlyTheStoragePackageImportsTheAwsSdk() {
        noClasses().that().resideOutsideOfPackage("live.cascade.api.storage..").and().resideInAPackage("live.cascade..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .check(classes);
    }

    @Test
    void whipWhepHoldsNoMediaLogicAndDbKnowsNoHttp() {
        noClasses().that().resideInAPackage("live.cascade.whipwhep..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.jooq..", "live.cascade.db..", "live.cascade.api..")
                .check(classes);
        noClasses().that().resideInAPackage("live.cascade.db..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "live.cascade.api..", "live.cascade.sfu..")
                .check(classes);
    }

    /** Packages by feature only stay readable when no two of them need each other (issue 18). */
    @Test
    void apiPackagesAreFreeOfCycles() {
        slices().matching("live.cascade.api.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** hls-fallback's stages (rtp, sync, media, segment, ladder, llhls, record) build on each other one way only. */
    @Test
    void hlsFallbackPackagesAreFreeOfCycles() {
        slices().matching("live.cascade.hls.(*)..").should().beFreeOfCycles().check(classes);
        noClasses().that().resideInAPackage("live.cascade.hls..").and().resideOutsideOfPackage("live.cascade.hls")
                .should().dependOnClassesThat().resideInAPackage("live.cascade.hls")
                .because("the tap (live.cascade.hls) composes the stage packages, which never reach back into it")
                .check(classes);
    }

    /** The composition root builds every package; one that reached back into it would be a cycle the slices miss. */
    @Test
    void noApiPackageImportsTheCompositionRoot() {
        noClasses().that().resideInAPackage("live.cascade.api..").and().resideOutsideOfPackage("live.cascade.api")
                .should().dependOnClassesThat().resideInAPackage("live.cascade.api")
                .check(classes);
    }
}
