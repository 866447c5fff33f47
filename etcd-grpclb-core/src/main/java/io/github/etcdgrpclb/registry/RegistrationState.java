package io.github.etcdgrpclb.registry;

/** Where a server's registration in etcd stands. */
public enum RegistrationState {

	/** Not registered yet: the first lease grant and put are under way (or retried). */
	REGISTERING,

	/** The key is in etcd on a lease that is kept alive. */
	REGISTERED,

	/**
	 * Drained by an operator ({@link OperatorOverride}): the lease is kept alive and the server keeps
	 * serving, but its key is withdrawn, so clients send it no new calls.
	 */
	DRAINED,

	/** The lease or key was lost (etcd outage, expiry, revoke, delete): registering again. */
	RECONNECTING,

	/** Deregistered on purpose (shutdown, or an operator's request): the key is gone. */
	DEREGISTERED

}
