"""Sổ tiếp công dân: entries (Mẫu 03/TCD) and their STT sequences."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0003_audit_append_only'),
        ('documents', '0004_refusal_notice_template'),
        ('intake', '0002_triage'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegisterEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                ('number', models.PositiveIntegerField(verbose_name='STT')),
                ('received_on', models.DateField(db_index=True, verbose_name='ngày tiếp')),
                ('summary', models.CharField(max_length=300, verbose_name='tóm tắt nội dung')),
                ('kind', models.CharField(choices=[('khieu_nai', 'Khiếu nại'), ('to_cao', 'Tố cáo'), ('kien_nghi', 'Kiến nghị'), ('phan_anh', 'Phản ánh')], max_length=16, verbose_name='loại đơn')),
                ('group_size', models.PositiveIntegerField(default=1, verbose_name='số người cùng nội dung')),
                ('prior_agency', models.CharField(blank=True, max_length=255, verbose_name='cơ quan đã giải quyết')),
                ('within_competence', models.BooleanField(null=True, verbose_name='thuộc thẩm quyền')),
                ('guided_to', models.CharField(blank=True, max_length=255, verbose_name='hướng dẫn đến')),
                ('guidance_letter', models.CharField(blank=True, max_length=60, verbose_name='số văn bản hướng dẫn')),
                ('handled_by', models.CharField(blank=True, max_length=255, verbose_name='cơ quan thụ lý')),
                ('forwarding_letter', models.CharField(blank=True, max_length=60, verbose_name='số văn bản chuyển đơn')),
                ('outcome', models.CharField(choices=[('new', 'Mới tiếp nhận'), ('triaged', 'Đã phân loại'), ('accepted', 'Đã thụ lý'), ('guided', 'Đã hướng dẫn'), ('forwarded', 'Đã chuyển đơn'), ('returned', 'Đã trả lại đơn'), ('filed', 'Lưu đơn'), ('refused', 'Từ chối tiếp'), ('scheduled', 'Đã xếp lịch tiếp'), ('heard', 'Đã tiếp'), ('concluded', 'Đã có kết luận'), ('closed', 'Đã kết thúc')], db_index=True, max_length=16, verbose_name='hướng xử lý')),
                ('follow_up_status', models.CharField(choices=[('new', 'Mới tiếp nhận'), ('triaged', 'Đã phân loại'), ('accepted', 'Đã thụ lý'), ('guided', 'Đã hướng dẫn'), ('forwarded', 'Đã chuyển đơn'), ('returned', 'Đã trả lại đơn'), ('filed', 'Lưu đơn'), ('refused', 'Từ chối tiếp'), ('scheduled', 'Đã xếp lịch tiếp'), ('heard', 'Đã tiếp'), ('concluded', 'Đã có kết luận'), ('closed', 'Đã kết thúc')], max_length=16, verbose_name='theo dõi kết quả')),
                ('follow_up_on', models.DateField(verbose_name='ngày cập nhật kết quả')),
                ('refusal_ground', models.CharField(blank=True, choices=[('intoxicated', 'Say do dùng chất kích thích, mắc bệnh tâm thần hoặc bệnh khác làm mất khả năng nhận thức, điều khiển hành vi (Luật Tiếp công dân Đ9 k1)'), ('threatening', 'Đe dọa, xúc phạm người tiếp công dân, người thi hành công vụ hoặc vi phạm nội quy nơi tiếp công dân (Luật Tiếp công dân Đ9 k2)'), ('persistent', 'Cố tình khiếu nại, tố cáo kéo dài về vụ việc đã giải quyết đúng pháp luật, đã được kiểm tra, rà soát, thông báo bằng văn bản (Luật Tiếp công dân Đ9 k3)'), ('weapons', 'Mang theo vũ khí hoặc không chấp hành kiểm tra an ninh (NĐ 154/2026 Đ4)'), ('recording', 'Ghi âm, ghi hình, phát trực tiếp khi đã được yêu cầu không thực hiện (NĐ 154/2026 Đ4)'), ('inciting', 'Kích động, gây rối trật tự nơi tiếp công dân (NĐ 154/2026 Đ4)'), ('no_capacity', 'Không có năng lực hành vi dân sự đầy đủ mà không có người đại diện hợp pháp (NĐ 154/2026 Đ4)'), ('unproven_representative', 'Người đại diện, người được ủy quyền không chứng minh được tư cách (NĐ 154/2026 Đ4)'), ('out_of_scope', 'Nội dung không thuộc phạm vi tiếp công dân (NĐ 154/2026 Đ4)'), ('repeat_no_new_facts', 'Kiến nghị, phản ánh lặp lại, không có tình tiết mới sau khi đã được trả lời bằng văn bản đúng pháp luật (NĐ 154/2026 Đ4 điểm h)'), ('final_judgment', 'Vụ việc đã có bản án, quyết định có hiệu lực pháp luật của Tòa án (NĐ 154/2026 Đ4)'), ('handled_elsewhere', 'Vụ việc đang được cơ quan có thẩm quyền khác thụ lý, giải quyết (NĐ 154/2026 Đ4)')], max_length=40, verbose_name='lý do từ chối tiếp')),
                ('recorded_at', models.DateTimeField(verbose_name='thời điểm ghi sổ')),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='register_entries', to='core.commune')),
                ('matter', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='register_entry', to='intake.matter')),
                ('refusal_notice', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.issueddocument', verbose_name='thông báo từ chối tiếp (01/TCD)')),
            ],
            options={
                'verbose_name': 'dòng sổ tiếp công dân',
                'verbose_name_plural': 'sổ tiếp công dân',
                'ordering': ['commune', 'year', 'number'],
                'indexes': [models.Index(fields=['commune', 'year', 'number'], name='register_re_commune_e40eb9_idx')],
                'constraints': [models.UniqueConstraint(fields=('commune', 'year', 'number'), name='registerentry_unique_number')],
            },
        ),
        migrations.CreateModel(
            name='RegisterSequence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                ('last_number', models.PositiveIntegerField(default=0, verbose_name='số thứ tự cuối đã ghi')),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.commune')),
            ],
            options={
                'verbose_name': 'dãy số thứ tự sổ tiếp công dân',
                'verbose_name_plural': 'dãy số thứ tự sổ tiếp công dân',
                'constraints': [models.UniqueConstraint(fields=('commune', 'year'), name='registersequence_unique')],
            },
        ),
    ]
