package io.github.etcdgrpclb.spring.lock;

import io.github.etcdgrpclb.lock.EtcdLockContext;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method under a cluster-wide etcd lock: at most one caller in the whole cluster (and no
 * Go {@code concurrency.Mutex} holder of the same name) runs it for a given key at a time.
 *
 * <pre class="code">
 * &#64;EtcdLock(key = "'order:' + #orderId", waitTime = "5s")
 * public void settle(String orderId) { ... }
 * </pre>
 *
 * Inside the method, {@link EtcdLockContext#current()} gives the lock's validity and fencing token.
 * Not acquired in time: {@link LockNotAcquiredException}, and the method does not run.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EtcdLock {

	/**
	 * The lock key below {@code etcd.lock.prefix}: a SpEL expression over the method's arguments
	 * ({@code #orderId}, {@code #p0}) when it contains {@code #} or starts with a quote, otherwise
	 * the literal text.
	 * @return the key
	 */
	String key();

	/**
	 * How long to wait for the lock, e.g. {@code "5s"}; {@code "0"} tries once. Empty means
	 * {@code etcd.lock.wait-time}.
	 * @return the wait time
	 */
	String waitTime() default "";

	/**
	 * TTL of the lease the lock key lives on, kept alive while the method runs (a crashed holder
	 * frees the lock after it), e.g. {@code "10s"}. Empty means {@code etcd.lock.lease-ttl}. Locks
	 * with the same TTL share one lease.
	 * @return the lease TTL
	 */
	String leaseTtl() default "";

}
