package io.github.etcdgrpclb.balancer;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.grpc.Status;

/**
 * The {@code health} member of the {@code weight} policy's service config, both ways: what plain
 * grpc-java users write and what the etcd resolver sends. Every field is optional (the default
 * stands); durations are strings of seconds, as everywhere in gRPC service configs ({@code "0.5s"}).
 * <pre>
 * {"weight": {"health": {"enabled": true, "interval": "0.5s", "failureStatuses": ["UNAVAILABLE"],
 *   "ejection": {"enabled": true, "failureThreshold": 0.25, "minRequests": 10, "baseTime": "5s",
 *                "maxTime": "10s", "maxPercent": 50},
 *   "latency": {"enabled": true, "tolerance": 1.5, "minDifference": "0.005s", "minFactor": 0.05},
 *   "slowStart": {"window": "30s", "minWeightPercent": 10, "aggression": 1.0}}}}
 * </pre>
 */
public final class HealthPolicyJson {

	private HealthPolicyJson() {
	}

	/**
	 * @param json the {@code health} object, or null
	 * @return the policy it describes
	 * @throws IllegalArgumentException naming the field that is wrong
	 */
	public static HealthPolicy parse(Map<String, ?> json) {
		if (json == null) {
			return HealthPolicy.DEFAULT;
		}
		HealthPolicy defaults = HealthPolicy.DEFAULT;
		Map<String, ?> ejection = object(json, "ejection");
		Map<String, ?> latency = object(json, "latency");
		Map<String, ?> slowStart = object(json, "slowStart");
		HealthPolicy.Ejection e = defaults.ejection();
		HealthPolicy.Latency l = defaults.latency();
		HealthPolicy.SlowStart s = defaults.slowStart();
		return new HealthPolicy(bool(json, "enabled", defaults.enabled()), duration(json, "interval", defaults.interval()),
				statuses(json, defaults.failureStatuses()),
				new HealthPolicy.Ejection(bool(ejection, "enabled", e.enabled()),
						number(ejection, "failureThreshold", e.failureThreshold()),
						(int) number(ejection, "minRequests", e.minRequests()),
						duration(ejection, "baseTime", e.baseTime()), duration(ejection, "maxTime", e.maxTime()),
						(int) number(ejection, "maxPercent", e.maxPercent())),
				new HealthPolicy.Latency(bool(latency, "enabled", l.enabled()), number(latency, "tolerance", l.tolerance()),
						duration(latency, "minDifference", l.minDifference()), number(latency, "minFactor", l.minFactor())),
				new HealthPolicy.SlowStart(duration(slowStart, "window", s.window()),
						(int) number(slowStart, "minWeightPercent", s.minWeightPercent()),
						number(slowStart, "aggression", s.aggression())));
	}

	/**
	 * @param policy a policy
	 * @return its {@code health} object, every field written
	 */
	public static Map<String, Object> render(HealthPolicy policy) {
		Map<String, Object> ejection = new LinkedHashMap<>();
		ejection.put("enabled", policy.ejection().enabled());
		ejection.put("failureThreshold", policy.ejection().failureThreshold());
		ejection.put("minRequests", (double) policy.ejection().minRequests());
		ejection.put("baseTime", seconds(policy.ejection().baseTime()));
		ejection.put("maxTime", seconds(policy.ejection().maxTime()));
		ejection.put("maxPercent", (double) policy.ejection().maxPercent());
		Map<String, Object> latency = new LinkedHashMap<>();
		latency.put("enabled", policy.latency().enabled());
		latency.put("tolerance", policy.latency().tolerance());
		latency.put("minDifference", seconds(policy.latency().minDifference()));
		latency.put("minFactor", policy.latency().minFactor());
		Map<String, Object> slowStart = new LinkedHashMap<>();
		slowStart.put("window", seconds(policy.slowStart().window()));
		slowStart.put("minWeightPercent", (double) policy.slowStart().minWeightPercent());
		slowStart.put("aggression", policy.slowStart().aggression());
		Map<String, Object> health = new LinkedHashMap<>();
		health.put("enabled", policy.enabled());
		health.put("interval", seconds(policy.interval()));
		health.put("failureStatuses", policy.failureStatuses().stream().map(Enum::name).sorted().toList());
		health.put("ejection", ejection);
		health.put("latency", latency);
		health.put("slowStart", slowStart);
		return health;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> object(Map<String, ?> json, String name) {
		Object value = json.get(name);
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map)) {
			throw new IllegalArgumentException("health." + name + " must be an object, was " + value);
		}
		return (Map<String, ?>) value;
	}

	private static boolean bool(Map<String, ?> json, String name, boolean fallback) {
		Object value = json.get(name);
		if (value == null) {
			return fallback;
		}
		if (!(value instanceof Boolean flag)) {
			throw new IllegalArgumentException(name + " must be true or false, was " + value);
		}
		return flag;
	}

	private static double number(Map<String, ?> json, String name, double fallback) {
		Object value = json.get(name);
		if (value == null) {
			return fallback;
		}
		if (!(value instanceof Number number)) {
			throw new IllegalArgumentException(name + " must be a number, was " + value);
		}
		return number.doubleValue();
	}

	private static Duration duration(Map<String, ?> json, String name, Duration fallback) {
		Object value = json.get(name);
		if (value == null) {
			return fallback;
		}
		String text = String.valueOf(value).trim();
		if (!text.endsWith("s")) {
			throw new IllegalArgumentException(name + " must be seconds such as \"0.5s\", was " + value);
		}
		try {
			BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
			return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
		}
		catch (ArithmeticException | NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be seconds such as \"0.5s\", was " + value, ex);
		}
	}

	private static Set<Status.Code> statuses(Map<String, ?> json, Set<Status.Code> fallback) {
		Object value = json.get("failureStatuses");
		if (value == null) {
			return fallback;
		}
		if (!(value instanceof List<?> names)) {
			throw new IllegalArgumentException("failureStatuses must be a list of status names, was " + value);
		}
		List<Status.Code> codes = new ArrayList<>();
		for (Object name : names) {
			try {
				codes.add(Status.Code.valueOf(String.valueOf(name).trim().toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("failureStatuses: '" + name + "' is no gRPC status code", ex);
			}
		}
		return codes.stream().collect(Collectors.toUnmodifiableSet());
	}

	private static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString() + "s";
	}

}
