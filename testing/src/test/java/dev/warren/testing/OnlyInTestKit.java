package dev.warren.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps fixture classes (some fail on purpose) from running on their own: they run only when a test launches them
 * through the EngineTestKit with the configuration parameter {@value #KEY}=true.
 */
final class OnlyInTestKit implements ExecutionCondition
{
    static final String KEY = "warren.testing.fixtures";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context)
    {
        return context.getConfigurationParameter(KEY).map(Boolean::parseBoolean).orElse(false) ?
            ConditionEvaluationResult.enabled("launched by a test") :
            ConditionEvaluationResult.disabled("a fixture, launched by WarrenExtensionBehaviourTest");
    }
}
