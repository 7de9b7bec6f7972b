CREATE TABLE `intake_pending_login` (
	`import_id` bigint unsigned NOT NULL,
	`user_id` bigint NOT NULL,
	`kind` varchar(10) NOT NULL,
	`sealed` blob NOT NULL,
	`created_at` timestamp(3) NOT NULL DEFAULT (now()),
	CONSTRAINT `intake_pending_login_import_id_user_id_pk` PRIMARY KEY(`import_id`,`user_id`)
);
