package io.github.etcdgrpclb.spring.election;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.etcdgrpclb.election.LeadershipTerm;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Runs {@link EtcdLeaderOnly @EtcdLeaderOnly} methods only while this instance leads, with the term
 * available through {@link EtcdLeadership#current()}; elsewhere skips them and returns null.
 */
public class EtcdLeaderOnlyInterceptor implements MethodInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLeaderOnlyInterceptor.class);

	private final ObjectProvider<EtcdLeadership> leadership;

	private final Set<Method> warned = ConcurrentHashMap.newKeySet();

	/** @param leadership looked up at the first call (advisors are created early) */
	public EtcdLeaderOnlyInterceptor(ObjectProvider<EtcdLeadership> leadership) {
		this.leadership = leadership;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		EtcdLeadership leadership = this.leadership.getIfAvailable();
		LeadershipTerm term = (leadership != null) ? leadership.term() : null;
		if (term == null) {
			if (leadership == null && this.warned.add(invocation.getMethod())) {
				logger.warn("{} is @EtcdLeaderOnly but this application takes part in no election "
						+ "(etcd.leader.enabled=false): it never runs here", invocation.getMethod());
			}
			logger.debug("Skipping {}: this instance does not lead", invocation.getMethod());
			return null;
		}
		EtcdLeadership.runningUnder(term);
		try {
			return invocation.proceed();
		}
		finally {
			EtcdLeadership.finished();
		}
	}

}
