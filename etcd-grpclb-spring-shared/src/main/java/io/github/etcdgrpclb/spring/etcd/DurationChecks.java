package io.github.etcdgrpclb.spring.etcd;

import java.time.Duration;

/**
 * The checks shared by duration properties; each failure names the property.
 */
public final class DurationChecks {

	/** etcd counts lease TTLs in whole seconds and raises tiny ones itself: ask for 2 s at least. */
	private static final Duration MIN_LEASE_TTL = Duration.ofSeconds(2);

	private DurationChecks() {
	}

	/** @return the value, when it is above zero; else an {@link InvalidEtcdPropertyException} naming the property */
	public static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidEtcdPropertyException(property, value, "must be a positive duration",
					"Set " + property + " to a positive duration, e.g. 5s.");
		}
		return value;
	}

	public static Duration leaseTtl(String property, Duration value, String action) {
		if (value == null || value.compareTo(MIN_LEASE_TTL) < 0) {
			throw new InvalidEtcdPropertyException(property, value, "must be at least 2s", action);
		}
		return value;
	}

	public static Duration notNegative(String property, Duration value, String action) {
		if (value == null || value.isNegative()) {
			throw new InvalidEtcdPropertyException(property, value, "must not be negative", action);
		}
		return value;
	}

}
