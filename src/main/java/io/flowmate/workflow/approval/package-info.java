/**
 * The approval human task behind {@link io.flowmate.workflow.Approvals}: its repository, REST API,
 * the workers every approval process calls, and how a user task is completed. Internal to the
 * workflow module.
 */
package io.flowmate.workflow.approval;
