package io.github.etcdgrpclb.balancer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code routing} member of the {@code weight} policy's service config, both ways; every field
 * optional: {@code {"zone": "eu-1a", "minLocalPercent": 50, "isolateTagged": true, "strictTags": false}}.
 */
public final class RoutingPolicyJson {

	private RoutingPolicyJson() {
	}

	/**
	 * @param json the {@code routing} object, or null
	 * @return the policy it describes
	 * @throws IllegalArgumentException naming the field that is wrong
	 */
	public static RoutingPolicy parse(Map<String, ?> json) {
		if (json == null) {
			return RoutingPolicy.DEFAULT;
		}
		RoutingPolicy defaults = RoutingPolicy.DEFAULT;
		Object zone = json.get("zone");
		if (zone != null && !(zone instanceof String)) {
			throw new IllegalArgumentException("zone must be a string, was " + zone);
		}
		return new RoutingPolicy((String) zone, (int) number(json, "minLocalPercent", defaults.minLocalPercent()),
				bool(json, "isolateTagged", defaults.isolateTagged()), bool(json, "strictTags", defaults.strictTags()));
	}

	/** @return the policy's {@code routing} object */
	public static Map<String, Object> render(RoutingPolicy policy) {
		Map<String, Object> routing = new LinkedHashMap<>();
		if (policy.zone() != null) {
			routing.put("zone", policy.zone());
		}
		routing.put("minLocalPercent", (double) policy.minLocalPercent());
		routing.put("isolateTagged", policy.isolateTagged());
		routing.put("strictTags", policy.strictTags());
		return routing;
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

}
