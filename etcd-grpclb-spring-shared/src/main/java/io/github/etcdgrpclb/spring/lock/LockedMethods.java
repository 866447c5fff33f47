package io.github.etcdgrpclb.spring.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.etcdgrpclb.etcd.LeaseTtl;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The {@code @EtcdLock} methods of the application, each read and checked once: key, wait time and
 * lease TTL with the defaults applied. Checked at startup for every bean ({@link EtcdLockMethodsCheck})
 * and at the latest at a method's first call.
 */
final class LockedMethods {

	/**
	 * One annotated method.
	 * @param key its key
	 * @param waitTime how long a call waits for the lock
	 * @param leaseTtl the TTL of the lease the lock key lives on
	 */
	record LockedMethod(LockKey key, Duration waitTime, Duration leaseTtl) {
	}

	private final Duration defaultWaitTime;

	private final Duration defaultLeaseTtl;

	private final Map<Method, Optional<LockedMethod>> methods = new ConcurrentHashMap<>();

	/**
	 * @param defaultWaitTime the wait time of annotations that set none
	 * @param defaultLeaseTtl the lease TTL of annotations that set none
	 */
	LockedMethods(Duration defaultWaitTime, Duration defaultLeaseTtl) {
		this.defaultWaitTime = defaultWaitTime;
		this.defaultLeaseTtl = defaultLeaseTtl;
	}

	/**
	 * @return the method's lock, empty when it is not annotated
	 * @throws InvalidEtcdLockException when the annotation cannot work
	 */
	Optional<LockedMethod> get(Method method) {
		Optional<LockedMethod> known = this.methods.get(method);
		if (known != null) {
			return known;
		}
		Optional<LockedMethod> read = read(method);
		this.methods.put(method, read);
		return read;
	}

	private Optional<LockedMethod> read(Method method) {
		EtcdLock annotation = AnnotatedElementUtils.findMergedAnnotation(method, EtcdLock.class);
		if (annotation == null) {
			return Optional.empty();
		}
		Duration waitTime = duration(annotation.waitTime(), this.defaultWaitTime, method, "waitTime");
		if (waitTime.isNegative()) {
			throw new InvalidEtcdLockException(describe(method, "waitTime", annotation.waitTime())
					+ " is negative; use 0 to try once");
		}
		Duration leaseTtl = duration(annotation.leaseTtl(), this.defaultLeaseTtl, method, "leaseTtl");
		if (!LeaseTtl.isValid(leaseTtl)) {
			throw new InvalidEtcdLockException(describe(method, "leaseTtl", annotation.leaseTtl())
					+ " is shorter than etcd's minimum of 2s");
		}
		return Optional.of(new LockedMethod(LockKey.of(annotation.key(), method), waitTime, leaseTtl));
	}

	private static Duration duration(String text, Duration fallback, Method method, String attribute) {
		if (text.isBlank()) {
			return fallback;
		}
		try {
			return DurationStyle.detectAndParse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEtcdLockException(describe(method, attribute, text) + " is not a duration (e.g. 5s)", ex);
		}
	}

	private static String describe(Method method, String attribute, String text) {
		return "@EtcdLock(" + attribute + " = \"" + text + "\") on " + method.getDeclaringClass().getName() + "."
				+ method.getName();
	}

}
