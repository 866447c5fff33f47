package io.github.etcdgrpclb.spring.actuate;

import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;

import java.util.Locale;

/** Checks a configured health status name, so that a typo fails startup instead of hiding an outage. */
final class HealthStatusNames {

	private HealthStatusNames() {
	}

	/** @return the status code in upper case, when it is one of Spring Boot's UP, DOWN, OUT_OF_SERVICE, UNKNOWN */
	static String check(String property, String value) {
		String code = (value != null) ? value.trim().toUpperCase(Locale.ROOT) : "";
		if (!code.equals("UP") && !code.equals("DOWN") && !code.equals("OUT_OF_SERVICE") && !code.equals("UNKNOWN")) {
			throw new InvalidEtcdPropertyException(property, value, "not a health status",
					"Set " + property + " to UNKNOWN (the default: an etcd outage does not fail the application's "
							+ "health) or DOWN.");
		}
		return code;
	}

}
