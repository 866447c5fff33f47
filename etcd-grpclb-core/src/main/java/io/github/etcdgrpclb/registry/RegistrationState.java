package io.github.etcdgrpclb.registry;

/** Where a server's registration in etcd stands. */
public enum RegistrationState {

	/** Not registered yet: the first lease grant and put are under way (or retried). */
	REGISTERING,

	/** The key is in etcd on a lease that is kept alive. */
	REGISTERED,

	/** The lease or key was lost (etcd outage, expiry, revoke, delete): registering again. */
	RECONNECTING,

	/** Deregistered on purpose (shutdown, or an operator's request): the key is gone. */
	DEREGISTERED

}
