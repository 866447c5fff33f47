package io.github.etcdgrpclb.spring.lock;

import java.lang.reflect.Method;


import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks every {@code @EtcdLock} method of the application's beans once they exist, so that a key
 * naming a parameter the method does not have, or a negative wait, fails startup instead of the
 * first call (or, worse, locking {@code /locks/job:null} for every call).
 */
class EtcdLockMethodsCheck implements SmartInitializingSingleton {

	private final ListableBeanFactory beans;

	private final LockedMethods methods;

	EtcdLockMethodsCheck(ListableBeanFactory beans, LockedMethods methods) {
		this.beans = beans;
		this.methods = methods;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String name : this.beans.getBeanDefinitionNames()) {
			Class<?> type = this.beans.getType(name, false);
			if (type != null) {
				ReflectionUtils.doWithMethods(ClassUtils.getUserClass(type), this::check,
						(method) -> AnnotatedElementUtils.hasAnnotation(method, EtcdLock.class));
			}
		}
	}

	private void check(Method method) {
		this.methods.get(method);
	}

}
