package io.github.etcdgrpclb.spring.discovery;

import io.github.etcdgrpclb.balancer.HealthPolicy;
import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;
import io.grpc.Status;

/**
 * Builds the {@code weight} policy's health rules from {@code etcd.discovery.health.*} and
 * {@code etcd.discovery.slow-start.*}, checking each value first so that a bad one fails startup
 * naming its property (the core's own checks would name only the field).
 */
final class HealthPolicyFactory {

	private static final String HEALTH = "etcd.discovery.health.";

	private static final String SLOW_START = "etcd.discovery.slow-start.";

	private HealthPolicyFactory() {
	}

	static HealthPolicy from(EtcdDiscoveryProperties properties) {
		EtcdDiscoveryProperties.Health health = properties.getHealth();
		EtcdDiscoveryProperties.Ejection ejection = health.getEjection();
		EtcdDiscoveryProperties.Latency latency = health.getLatency();
		EtcdDiscoveryProperties.SlowStart slowStart = properties.getSlowStart();
		DurationChecks.positive(HEALTH + "interval", health.getInterval());
		if (health.getFailureStatuses() == null || health.getFailureStatuses().contains(Status.Code.OK)) {
			throw invalid(HEALTH + "failure-statuses", health.getFailureStatuses(), "OK cannot be a failure",
					"List the statuses that mean a server failed, e.g. UNAVAILABLE,DEADLINE_EXCEEDED.");
		}
		ratio(HEALTH + "ejection.failure-threshold", ejection.getFailureThreshold());
		atLeastOne(HEALTH + "ejection.min-requests", ejection.getMinRequests());
		DurationChecks.positive(HEALTH + "ejection.base-time", ejection.getBaseTime());
		if (ejection.getMaxTime() == null || ejection.getMaxTime().compareTo(ejection.getBaseTime()) < 0) {
			throw invalid(HEALTH + "ejection.max-time", ejection.getMaxTime(), "must be at least the base time",
					"Set " + HEALTH + "ejection.max-time to " + HEALTH + "ejection.base-time or more.");
		}
		percent(HEALTH + "ejection.max-percent", ejection.getMaxPercent(), 0);
		if (latency.getTolerance() < 1) {
			throw invalid(HEALTH + "latency.tolerance", latency.getTolerance(), "must be 1 or more",
					"Set it to how many times the fleet's median latency a server may take, e.g. 1.5.");
		}
		DurationChecks.notNegative(HEALTH + "latency.min-difference", latency.getMinDifference(),
				"Set it to a duration of 0 or more, e.g. 5ms.");
		ratio(HEALTH + "latency.min-factor", latency.getMinFactor());
		DurationChecks.notNegative(SLOW_START + "window", slowStart.getWindow(), "Set it to 0 (off) or a duration, e.g. 30s.");
		percent(SLOW_START + "min-weight-percent", slowStart.getMinWeightPercent(), 1);
		if (!(slowStart.getAggression() > 0)) {
			throw invalid(SLOW_START + "aggression", slowStart.getAggression(), "must be positive",
					"Set it to 1 for a linear ramp, or above 1 for a ramp that starts slower.");
		}
		return new HealthPolicy(health.isEnabled(), health.getInterval(), health.getFailureStatuses(),
				new HealthPolicy.Ejection(ejection.isEnabled(), ejection.getFailureThreshold(), ejection.getMinRequests(),
						ejection.getBaseTime(), ejection.getMaxTime(), ejection.getMaxPercent()),
				new HealthPolicy.Latency(latency.isEnabled(), latency.getTolerance(), latency.getMinDifference(),
						latency.getMinFactor()),
				new HealthPolicy.SlowStart(slowStart.getWindow(), slowStart.getMinWeightPercent(),
						slowStart.getAggression()));
	}

	private static void ratio(String property, double value) {
		if (!(value > 0 && value <= 1)) {
			throw invalid(property, value, "must be above 0 and at most 1",
					"Set " + property + " to a fraction, e.g. 0.25 for 25%.");
		}
	}

	private static void atLeastOne(String property, int value) {
		if (value < 1) {
			throw invalid(property, value, "must be at least 1", "Set " + property + " to 1 or more.");
		}
	}

	private static void percent(String property, int value, int min) {
		if (value < min || value > 100) {
			throw invalid(property, value, "must be from " + min + " to 100", "Set " + property + " to a percentage.");
		}
	}

	private static InvalidEtcdPropertyException invalid(String property, Object value, String reason, String action) {
		return new InvalidEtcdPropertyException(property, value, reason, action);
	}

}
