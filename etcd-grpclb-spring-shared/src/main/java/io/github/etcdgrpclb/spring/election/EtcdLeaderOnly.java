package io.github.etcdgrpclb.spring.election;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method only while this instance leads its election ({@code etcd.leader.*}); elsewhere the
 * call is skipped (logged at debug) and returns null. Typically on {@code @Scheduled} jobs that one
 * instance of the cluster must run:
 *
 * <pre class="code">
 * &#64;EtcdLeaderOnly
 * &#64;Scheduled(fixedDelay = 10_000)
 * public void writeReport() { long token = EtcdLeadership.current().token(); ... }
 * </pre>
 *
 * Inside, {@link EtcdLeadership#current()} gives the term: {@code isValid()} turns false as soon as
 * leadership is lost, and its {@code token()} fences writes to other systems.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EtcdLeaderOnly {

}
