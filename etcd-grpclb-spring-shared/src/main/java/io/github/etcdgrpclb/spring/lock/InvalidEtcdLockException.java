package io.github.etcdgrpclb.spring.lock;

/**
 * An {@code @EtcdLock} annotation that cannot work: a key that does not parse or names a variable
 * the method does not have, a negative wait, a lease TTL under etcd's minimum. Found at startup for
 * every bean (and at the latest before anything is locked); the message names the method.
 */
class InvalidEtcdLockException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	InvalidEtcdLockException(String message) {
		super(message);
	}

	InvalidEtcdLockException(String message, Throwable cause) {
		super(message, cause);
	}

}
