package dev.warren;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API's boundary (issue 9): {@code dev.warren.api} stands on the JDK alone, and neither it nor
 * {@link Warren} lets an engine, codec or CLI type escape through a public signature. Embedders compile against
 * these types only, so the engine can change behind them.
 */
class ApiBoundaryTest
{
    private static final String API = "dev.warren.api..";
    private static final String[] INTERNAL = {"dev.warren.engine..", "dev.warren.codec..", "dev.warren.cli.."};

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses()
    {
        production = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.warren");
    }

    @Test
    void shouldKeepTheApiPackageOnTheJdkAlone()
    {
        final ArchRule rule = classes().that().resideInAPackage(API)
            // javax.net.ssl: BindingHttpClient, a java.net.http.HttpClient, names the JDK's TLS types in its signature.
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.net.ssl..", API)
            .because("embedders compile against dev.warren.api; it must not drag in the engine, the codec or the CLI");
        rule.check(production);
    }

    @Test
    void shouldExposeNoInternalTypeInPublicSignatures()
    {
        final ArchRule rule = members().that(arePublicOrProtected()).and(areDeclaredInPublicApiClasses())
            .should(exposeNoTypeFrom(INTERNAL))
            .because("public signatures of dev.warren.api and dev.warren.Warren are the embedding contract");
        rule.check(production);
    }

    @Test
    void shouldCheckTheApiAndTheEntryClass()
    {
        // Guards against the rules above passing vacuously (a wrong package name, a filter that matches nothing).
        assertTrue(production.contain(Warren.class) && production.contain(dev.warren.api.TcpSocket.class) &&
            production.contain("dev.warren.engine.edge.EdgeRuntime"), "the importer missed production classes");
        final Set<String> checked = new HashSet<>();
        for (final JavaClass type : production)
        {
            for (final JavaMember member : type.getMembers())
            {
                if (arePublicOrProtected().test(member) && areDeclaredInPublicApiClasses().test(member))
                {
                    checked.add(member.getFullName());
                }
            }
        }
        assertTrue(checked.contains("dev.warren.Warren.startEdge(dev.warren.api.EdgeConfig)"), checked::toString);
        final String call = "dev.warren.api.VpcNetwork.connect(java.lang.String, int, dev.warren.api.ConnectOptions)";
        assertTrue(checked.contains(call), checked::toString);
        assertTrue(checked.contains("dev.warren.api.ConnectorConfig$Builder.build()"), checked::toString);
    }

    private static DescribedPredicate<JavaMember> arePublicOrProtected()
    {
        return DescribedPredicate.describe("are public or protected",
            member -> member.getModifiers().contains(JavaModifier.PUBLIC) ||
                member.getModifiers().contains(JavaModifier.PROTECTED));
    }

    private static DescribedPredicate<JavaMember> areDeclaredInPublicApiClasses()
    {
        return DescribedPredicate.describe("are declared in public types of dev.warren.api or in dev.warren.Warren",
            member -> isPublicApiClass(member.getOwner()));
    }

    private static boolean isPublicApiClass(final JavaClass owner)
    {
        final boolean inApi = owner.getPackageName().equals("dev.warren.api") || owner.isEquivalentTo(Warren.class);
        JavaClass scope = owner;
        while (scope != null)
        {
            if (!scope.getModifiers().contains(JavaModifier.PUBLIC))
            {
                return false;
            }
            scope = scope.getEnclosingClass().orElse(null);
        }
        return inApi;
    }

    private static ArchCondition<JavaMember> exposeNoTypeFrom(final String... packages)
    {
        return new ArchCondition<>("expose no type from " + String.join(", ", packages))
        {
            @Override
            public void check(final JavaMember member, final ConditionEvents events)
            {
                for (final JavaClass type : signatureTypes(member))
                {
                    final JavaClass base = type.getBaseComponentType();
                    for (final String pkg : packages)
                    {
                        if (com.tngtech.archunit.core.domain.PackageMatcher.of(pkg).matches(base.getPackageName()))
                        {
                            events.add(SimpleConditionEvent.violated(member,
                                member.getFullName() + " exposes " + base.getName()));
                        }
                    }
                }
            }
        };
    }

    /** Every raw type in a member's signature: generic type arguments, parameters, return, throws, field type. */
    private static Set<JavaClass> signatureTypes(final JavaMember member)
    {
        final Set<JavaClass> types = new LinkedHashSet<>();
        if (member instanceof JavaField)
        {
            types.addAll(((JavaField)member).getType().getAllInvolvedRawTypes());
        }
        else if (member instanceof JavaCodeUnit)
        {
            final JavaCodeUnit codeUnit = (JavaCodeUnit)member;
            types.addAll(codeUnit.getReturnType().getAllInvolvedRawTypes());
            codeUnit.getParameterTypes().forEach(type -> types.addAll(type.getAllInvolvedRawTypes()));
            codeUnit.getThrowsClause().getTypes().forEach(types::add);
            codeUnit.getTypeParameters().forEach(type -> types.addAll(type.getAllInvolvedRawTypes()));
        }
        return types;
    }
}
