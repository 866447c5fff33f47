package io.github.etcdgrpclb.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** The {@code weight} policy's service config: what plain grpc-java users write, what the resolver sends. */
class WeightLoadBalancerProviderTests {

	private final WeightLoadBalancerProvider provider = new WeightLoadBalancerProvider();

	@Test
	void emptyConfigShouldMeanHealthAwareDefaults() {
		assertThat(parse(Map.of()).getConfig()).isEqualTo(WeightLoadBalancerConfig.DEFAULT);
	}

	@Test
	void healthFieldsShouldOverrideOnlyWhatTheyName() {
		WeightLoadBalancerConfig config = (WeightLoadBalancerConfig) parse(Map.of("maxWeight", 5.0, "health",
				Map.of("interval", "2s", "failureStatuses", List.of("unavailable", "RESOURCE_EXHAUSTED"), "ejection",
						Map.of("baseTime", "0.25s", "maxTime", "1.5s"), "slowStart", Map.of("window", "30s"))))
			.getConfig();
		assertThat(config.maxWeight()).isEqualTo(5);
		HealthPolicy health = config.health();
		assertThat(health.interval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(health.failureStatuses()).isEqualTo(Set.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED));
		assertThat(health.ejection().baseTime()).isEqualTo(Duration.ofMillis(250));
		assertThat(health.ejection().maxTime()).isEqualTo(Duration.ofMillis(1500));
		assertThat(health.ejection().maxPercent()).isEqualTo(50);
		assertThat(health.latency()).isEqualTo(HealthPolicy.Latency.DEFAULT);
		assertThat(health.slowStart().window()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void disabledHealthShouldBeTheTutorialsStaticWeights() {
		HealthPolicy health = ((WeightLoadBalancerConfig) parse(Map.of("health", Map.of("enabled", false))).getConfig())
			.health();
		assertThat(health.enabled()).isFalse();
		assertThat(health.adjustsWeights()).isFalse();
	}

	@Test
	void renderedConfigShouldParseBackToTheSamePolicy() {
		HealthPolicy custom = new HealthPolicy(true, Duration.ofMillis(750), Set.of(Status.Code.UNAVAILABLE),
				new HealthPolicy.Ejection(true, 0.4, 20, Duration.ofSeconds(2), Duration.ofSeconds(30), 34),
				new HealthPolicy.Latency(false, 2.0, Duration.ofMillis(12), 0.1),
				new HealthPolicy.SlowStart(Duration.ofSeconds(45), 5, 2.0));
		WeightLoadBalancerConfig config = new WeightLoadBalancerConfig(7, custom);
		@SuppressWarnings("unchecked")
		Map<String, ?> rendered = (Map<String, ?>) config.toServiceConfigEntry().get("weight");
		assertThat(parse(rendered).getConfig()).isEqualTo(config);
	}

	@Test
	void badHealthFieldsShouldBeRefusedNamingTheField() {
		assertError(Map.of("health", "on"), "weight: health: must be an object, was on");
		assertError(Map.of("routing", Map.of("minLocalPercent", 101.0)), "weight: routing: routing minLocalPercent must be from 0 to 100");
		assertError(Map.of("health", Map.of("interval", "500ms")), "interval must be seconds such as \"0.5s\"");
		assertError(Map.of("health", Map.of("interval", "0s")), "interval must be positive");
		assertError(Map.of("health", Map.of("failureStatuses", List.of("BROKEN"))), "'BROKEN' is no gRPC status code");
		assertError(Map.of("health", Map.of("failureStatuses", List.of("OK"))), "OK cannot be a failure status");
		assertError(Map.of("health", Map.of("ejection", Map.of("maxPercent", 150.0))), "maxPercent must be from 0 to 100");
		assertError(Map.of("health", Map.of("latency", Map.of("minFactor", 0.0))), "minFactor must be in (0, 1]");
		assertError(Map.of("health", Map.of("ejection", Map.of("enabled", "yes"))), "enabled must be true or false");
	}

	private ConfigOrError parse(Map<String, ?> raw) {
		ConfigOrError parsed = this.provider.parseLoadBalancingPolicyConfig(raw);
		assertThat(parsed.getError()).isNull();
		return parsed;
	}

	private void assertError(Map<String, ?> raw, String message) {
		ConfigOrError parsed = this.provider.parseLoadBalancingPolicyConfig(raw);
		assertThat(parsed.getError()).isNotNull();
		assertThat(parsed.getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(parsed.getError().getDescription()).contains(message);
	}

}
