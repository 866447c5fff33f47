package io.github.etcdgrpclb.spring.lock;

import java.lang.reflect.Method;
import java.util.Optional;

import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Runs {@link EtcdLock @EtcdLock} methods under their lock. The key is evaluated before anything is
 * locked; a key that fails or comes out null or blank is reported with the method and the expression.
 */
class EtcdLockInterceptor implements MethodInterceptor {

	private final ObjectProvider<EtcdLockTemplate> template;

	private final LockedMethods methods;

	/**
	 * @param template the lock core, looked up at the first call (advisors are created early)
	 * @param methods the annotated methods, read and checked once
	 */
	EtcdLockInterceptor(ObjectProvider<EtcdLockTemplate> template, LockedMethods methods) {
		this.template = template;
		this.methods = methods;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(),
				(invocation.getThis() != null) ? invocation.getThis().getClass() : invocation.getMethod().getDeclaringClass());
		Optional<LockedMethods.LockedMethod> locked = this.methods.get(method);
		if (locked.isEmpty()) {
			return invocation.proceed();
		}
		String key = locked.get().key().evaluate(invocation.getArguments());
		try {
			return this.template.getObject().execute(key, locked.get().waitTime(), locked.get().leaseTtl(), () -> {
				try {
					return invocation.proceed();
				}
				catch (Exception | Error ex) {
					throw ex;
				}
				catch (Throwable ex) {
					throw new MethodThrowable(ex);
				}
			});
		}
		catch (MethodThrowable ex) {
			throw ex.getCause();
		}
	}

	/** Carries a Throwable that is neither an Exception nor an Error through the Callable. */
	private static final class MethodThrowable extends Exception {

		private static final long serialVersionUID = 1L;

		MethodThrowable(Throwable cause) {
			super(cause);
		}

	}

}
