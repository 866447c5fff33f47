package io.github.etcdgrpclb.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.etcdgrpclb.lock.EtcdLock;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Runs {@link EtcdLock @EtcdLock} methods under their lock. The key is evaluated before anything is
 * locked; a key that does not parse, fails, or comes out null or blank is reported with the method
 * and the expression.
 */
class EtcdLockInterceptor implements MethodInterceptor {

	private static final ExpressionParser parser = new SpelExpressionParser();

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final ObjectProvider<EtcdLockTemplate> template;

	private final Duration defaultWaitTime;

	private final Duration defaultLeaseTtl;

	private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

	private final Map<Method, LockedMethod> methods = new ConcurrentHashMap<>();

	/**
	 * @param template the lock core, looked up at the first call (advisors are created early)
	 * @param defaultWaitTime the wait time of annotations that set none
	 * @param defaultLeaseTtl the lease TTL of annotations that set none
	 */
	EtcdLockInterceptor(ObjectProvider<EtcdLockTemplate> template, Duration defaultWaitTime, Duration defaultLeaseTtl) {
		this.template = template;
		this.defaultWaitTime = defaultWaitTime;
		this.defaultLeaseTtl = defaultLeaseTtl;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(),
				(invocation.getThis() != null) ? invocation.getThis().getClass() : invocation.getMethod().getDeclaringClass());
		LockedMethod locked = this.methods.computeIfAbsent(method, this::lockedMethod);
		if (locked == NOT_LOCKED) {
			return invocation.proceed();
		}
		String key = key(locked.key(), method, invocation.getArguments());
		Duration waitTime = locked.waitTime();
		Duration leaseTtl = locked.leaseTtl();
		try {
			return this.template.getObject().execute(key, waitTime, leaseTtl, () -> {
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

	/** The annotation of a method, read and checked once: the wait and TTL are parsed at the first call. */
	private LockedMethod lockedMethod(Method method) {
		EtcdLock annotation = AnnotatedElementUtils.findMergedAnnotation(method, EtcdLock.class);
		if (annotation == null) {
			return NOT_LOCKED;
		}
		Duration waitTime = duration(annotation.waitTime(), this.defaultWaitTime, method, "waitTime");
		if (waitTime.isNegative()) {
			throw new IllegalArgumentException(describe(method, "waitTime", annotation.waitTime())
					+ " is negative; use 0 to try once");
		}
		Duration leaseTtl = duration(annotation.leaseTtl(), this.defaultLeaseTtl, method, "leaseTtl");
		if (leaseTtl.compareTo(Duration.ofSeconds(2)) < 0) {
			throw new IllegalArgumentException(describe(method, "leaseTtl", annotation.leaseTtl())
					+ " is shorter than etcd's minimum of 2s");
		}
		return new LockedMethod(annotation.key(), waitTime, leaseTtl);
	}

	private static final LockedMethod NOT_LOCKED = new LockedMethod("", Duration.ZERO, Duration.ZERO);

	private record LockedMethod(String key, Duration waitTime, Duration leaseTtl) {
	}

	private static String describe(Method method, String attribute, String text) {
		return "@EtcdLock(" + attribute + " = \"" + text + "\") on " + method.getDeclaringClass().getName() + "."
				+ method.getName();
	}

	/** Carries a Throwable that is neither an Exception nor an Error through the Callable. */
	private static final class MethodThrowable extends Exception {

		MethodThrowable(Throwable cause) {
			super(cause);
		}

	}

	String key(String expression, Method method, Object[] arguments) {
		String where = "@EtcdLock(key = \"" + expression + "\") on " + method.getDeclaringClass().getName() + "."
				+ method.getName();
		if (!isExpression(expression)) {
			if (expression.isBlank()) {
				throw new IllegalArgumentException(where + ": the key must not be blank");
			}
			return expression;
		}
		Object value;
		try {
			Expression parsed = this.expressions.computeIfAbsent(expression, parser::parseExpression);
			value = parsed.getValue(new MethodBasedEvaluationContext(null, method, arguments, parameterNames));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(where + ": the key expression failed: " + ex.getMessage(), ex);
		}
		if (value == null || value.toString().isBlank()) {
			throw new IllegalArgumentException(where + ": the key evaluated to " + ((value == null) ? "null" : "blank"));
		}
		return value.toString();
	}

	static boolean isExpression(String key) {
		return key.contains("#") || key.startsWith("'");
	}

	private static Duration duration(String text, Duration fallback, Method method, String attribute) {
		if (text.isBlank()) {
			return fallback;
		}
		try {
			return DurationStyle.detectAndParse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(describe(method, attribute, text) + " is not a duration (e.g. 5s)", ex);
		}
	}

}
