package io.github.etcdgrpclb.spring.config;


import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code spring.config.import} brought etcd property sources into the Environment. */
class OnEtcdConfigImportCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		boolean imported = context.getEnvironment() instanceof ConfigurableEnvironment environment
				&& environment.getPropertySources().stream().anyMatch(EtcdConfigPropertySource.class::isInstance);
		return imported ? ConditionOutcome.match("etcd property sources were imported")
				: ConditionOutcome.noMatch("no spring.config.import of etcd");
	}

}
