package live.cascade.sfu.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packet path's layering inside {@code sfu}: wire formats at the bottom ({@code rtp}, {@code rtcp},
 * {@code codec}), per-stream state and estimators above them ({@code receive}, {@code feedback}, {@code forward}),
 * {@code routing} on top. Nothing reaches back up, and nothing but the router itself holds the router.
 */
class PacketPathArchitectureTest {
    private static final String ROUTER = "live.cascade.sfu.routing.Router";
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("live.cascade.sfu");
    }

    @Test
    void wireFormatsKnowNothingOfStreamsOrRouting() {
        noClasses().that().resideInAnyPackage("live.cascade.sfu.rtp..", "live.cascade.sfu.rtcp..", "live.cascade.sfu.codec..")
                .should().dependOnClassesThat().resideInAnyPackage("live.cascade.sfu.receive..",
                        "live.cascade.sfu.feedback..", "live.cascade.sfu.forward..", "live.cascade.sfu.routing..",
                        "live.cascade.sfu.net..", "live.cascade.sfu.engine..")
                .check(classes);
    }

    @Test
    void receiveStagesAndStreamStateNeverImportRouting() {
        noClasses().that().resideInAnyPackage("live.cascade.sfu.receive..", "live.cascade.sfu.feedback..",
                        "live.cascade.sfu.forward..", "live.cascade.sfu.bwe..")
                .should().dependOnClassesThat().resideInAnyPackage("live.cascade.sfu.routing..",
                        "live.cascade.sfu.net..", "live.cascade.sfu.engine..")
                .because("routing composes them; a stage that reached back would hide a second path through the router")
                .check(classes);
    }

    @Test
    void onlyTheRouterHoldsTheRouter() {
        // The engine hosts routers (MediaLane.hostRouter makes one and schedules its tick, HostedRouter closes it);
        // inside the packet path nothing points back at the router.
        noClasses().that().resideInAnyPackage("live.cascade.sfu.routing..", "live.cascade.sfu.receive..",
                        "live.cascade.sfu.feedback..", "live.cascade.sfu.forward..", "live.cascade.sfu.net..",
                        "live.cascade.sfu.bwe..")
                .and().doNotHaveFullyQualifiedName(ROUTER)
                .should().dependOnClassesThat().haveFullyQualifiedName(ROUTER)
                .because("viewers and stages see a narrow host (ViewerHost, PublisherLink), not the router")
                .check(classes);
    }

    @Test
    void thePacketPathPackagesHaveNoCycles() {
        slices().matching("live.cascade.sfu.(rtp|rtcp|codec|receive|feedback|forward|bwe|routing)..")
                .should().beFreeOfCycles()
                .check(classes);
    }

    /**
     * The receive path calls its stages through final fields of final classes, so every per-packet call site is
     * monomorphic. Not stages: the time source and the once-per-publisher first-media callback.
     */
    @Test
    void theReceivePathsStagesAreFinalFieldsOfFinalClasses() {
        DescribedPredicate<JavaClass> finalClass = DescribedPredicate.describe("a final class",
                c -> !c.isInterface() && c.getModifiers().contains(JavaModifier.FINAL));
        fields().that().areDeclaredIn("live.cascade.sfu.routing.ReceivePath")
                .and().areNotStatic()
                .and().doNotHaveRawType(boolean.class)
                .and().doNotHaveName("clock")
                .and().doNotHaveName("firstMedia")
                .should().beFinal()
                .andShould().haveRawType(finalClass)
                .check(classes);
    }
}
